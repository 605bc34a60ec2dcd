"""Web pages saved from a browser (a government site's article page): the article's text, in order.

Built on the standard library's html.parser with a small tolerant tree builder (browsers' implicit
closing of <p>, <li>, <tr>, <td>). Scripts, styles, navigation, menus, share bars and hidden elements
are dropped; every block element (p, div, h1…, li, …) becomes one "p" block and <br> splits lines.
No blank blocks are emitted: each block is a paragraph already. Tables with data become table blocks
(colspan: text in the first column, "" in the others; rowspan: the text repeated below, as for .docx);
a table used for page layout (nested tables, one column, long text in a cell) is read as paragraphs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from workplan_xl.plan_document.readers.blocks import Block, clean_line, decode_text

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "keygen"}
_DROP = {"script", "style", "noscript", "template", "head", "nav", "footer", "aside", "select", "button",
         "iframe", "svg", "object", "canvas", "audio", "video", "map", "menu", "textarea", "title"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "dl", "ul", "ol", "blockquote",
          "pre", "section", "article", "main", "header", "center", "address", "figure", "figcaption",
          "caption", "hr", "tr", "td", "th", "form", "fieldset", "legend", "details", "summary", "body"}
_CLOSES_P = _BLOCK - {"li", "dt", "dd", "tr", "td", "th", "caption", "figcaption", "legend", "summary", "body"}
_NAV_WORDS = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "sidebar",
              "share", "footer", "foot", "copyright", "topbar", "toolbar", "search", "login", "skip"}
_NAV_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\f]*\n[ \t\r\n\f]*(?=[{_CJK}])")
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")
_LINE = "\u2028"  # a line break we made (<br>, <pre> newlines), kept apart from source whitespace
_MAX_DEPTH = 300


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._implicit_close(tag)
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        fences = {"table"} if tag in ("tr", "td", "th", "tbody", "thead", "tfoot") else {"table", "td", "th"}
        for i in range(len(self.stack) - 1, 0, -1):
            name = self.stack[i].tag
            if name == tag:
                del self.stack[i:]
                return
            if name in fences and tag != name:
                return  # never close across a table boundary (a stray </div> inside a cell)

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _implicit_close(self, tag: str) -> None:
        if tag in _CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()
        scopes = {"li": ({"li"}, {"ul", "ol", "table"}), "dt": ({"dt", "dd"}, {"dl", "table"}),
                  "dd": ({"dt", "dd"}, {"dl", "table"}), "tr": ({"tr", "td", "th"}, {"table"}),
                  "td": ({"td", "th"}, {"tr", "table"}), "th": ({"td", "th"}, {"tr", "table"}),
                  "tbody": ({"tr", "td", "th", "tbody", "thead", "tfoot"}, {"table"}),
                  "thead": ({"tr", "td", "th", "tbody", "thead", "tfoot"}, {"table"}),
                  "tfoot": ({"tr", "td", "th", "tbody", "thead", "tfoot"}, {"table"}),
                  "option": ({"option"}, {"select"})}
        if tag not in scopes:
            return
        closes, stops = scopes[tag]
        for i in range(len(self.stack) - 1, 0, -1):
            name = self.stack[i].tag
            if name in stops:
                return
            if name in closes:
                # pop the outermost element of the closing kind inside the scope (a td inside a tr)
                j = i
                while j > 1 and self.stack[j - 1].tag in closes:
                    j -= 1
                del self.stack[j:]
                return


def read_html(path: Path, encoding: str | None = None) -> list[Block]:
    """Blocks of a saved web page (.html, .htm, or a single-file .mht/.mhtml; see the module docstring)."""
    data = path.read_bytes()
    html = _mhtml_part(data)
    text = html if html is not None else _decode(data, path.name, encoding)
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    blocks = _Renderer(heuristics=True).render(builder.root)
    if not any(b.text or b.rows for b in blocks):  # the class-name guesses took everything: undo them
        blocks = _Renderer(heuristics=False).render(builder.root)
    return blocks


def is_mhtml(head: bytes) -> bool:
    """A web archive saved as one file (.mht from IE, .mhtml from Chrome): MIME multipart/related."""
    top = head[:2048].lower()
    return b"mime-version:" in top and b"multipart/related" in top


def _mhtml_part(data: bytes) -> str | None:
    """The first text/html part of a web archive, decoded; None when ``data`` is not one."""
    if not is_mhtml(data):
        return None
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset()
                try:
                    return payload.decode(charset or "utf-8") if charset else _decode(payload, "", None)
                except (LookupError, UnicodeDecodeError):
                    return _decode(payload, "", None)
    return None


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    if encoding or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data, name, encoding)[0]
    try:
        return data.decode("utf-8")  # valid UTF-8 is UTF-8, whatever the page declares (re-saved pages)
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312", "euc-cn", "hz-gb-2312"):
            declared = "gb18030"  # GB18030 is a superset; pages declared gb2312 often hold GBK characters
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common on re-saved pages: detect instead
    return decode_text(data, name)[0]


class _Renderer:
    def __init__(self, heuristics: bool) -> None:
        self.heuristics = heuristics
        self.out: list[Block] = []
        self.buf: list[str] = []
        self.total = 0

    def render(self, root: _Node) -> list[Block]:
        self.total = _text_len(root)
        self.walk(root, pre=False, in_article=False)
        self.flush()
        return self.out

    def flush(self) -> None:
        if not self.buf:
            return
        text = _CJK_BREAK.sub("", "".join(self.buf))
        text = _SPACE_RUN.sub(" ", text).replace("\xa0", " ")
        self.buf.clear()
        self.out.extend(Block("p", line) for line in map(clean_line, text.split(_LINE)) if line)

    def dropped(self, node: _Node, in_article: bool) -> bool:
        if node.tag in _DROP or (node.tag == "header" and not in_article) or "hidden" in node.attrs:
            return True
        if _HIDDEN_STYLE.search(node.attrs.get("style", "")):
            return True
        if not self.heuristics:
            return False
        if node.attrs.get("role", "").lower() in _NAV_ROLES:
            return True
        words = re.split(r"[\s_\-]+", (node.attrs.get("class", "") + " " + node.attrs.get("id", "")).lower())
        # a wrapper named "has-sidebar" holds the article: only drop what is a small part of the page
        return any(word in _NAV_WORDS for word in words) and _text_len(node) < 0.4 * self.total

    def walk(self, node: _Node, pre: bool, in_article: bool) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buf.append(child.replace("\n", _LINE) if pre else child)
                continue
            tag = child.tag
            if self.dropped(child, in_article):
                continue
            if tag == "br":
                self.buf.append(_LINE)
            elif tag == "table":
                self.flush()
                self.table(child, pre, in_article)
            elif tag in _BLOCK:
                self.flush()
                self.walk(child, pre or tag == "pre", in_article or tag in ("article", "main"))
                self.flush()
            else:
                self.walk(child, pre, in_article)

    def cell_text(self, cell: _Node, in_article: bool) -> str:
        sub = _Renderer(self.heuristics)
        sub.total = self.total
        sub.walk(cell, pre=False, in_article=in_article)
        sub.flush()
        return "\n".join(b.text if b.kind == "p" else "\n".join(" ".join(r) for r in b.rows) for b in sub.out)

    def table(self, table: _Node, pre: bool, in_article: bool) -> None:
        rows = [[c for c in tr.children if isinstance(c, _Node) and c.tag in ("td", "th")]
                for tr in _rows(table)]
        cells = [c for row in rows for c in row]
        layout = max((len(r) for r in rows), default=0) <= 1 or any(_has_table(c) for c in cells)
        texts: dict[int, str] = {}
        if not layout:
            texts = {id(c): self.cell_text(c, in_article) for c in cells}
            total = sum(len(t) for t in texts.values())
            longest = max(len(t) for t in texts.values())
            layout = longest > 400 or (total > 150 and longest > 0.7 * total)
        if layout:
            for child in table.children:  # caption, then the cells as ordinary containers
                if isinstance(child, _Node) and child.tag == "caption":
                    self.walk(child, pre, in_article)
                    self.flush()
            for cell in cells:
                self.walk(cell, pre, in_article)
                self.flush()
            return
        self.out.append(Block("table", rows=_grid(rows, texts)))


def _rows(table: _Node) -> list[_Node]:
    out = []
    for child in table.children:
        if isinstance(child, _Node):
            if child.tag == "tr":
                out.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                out.extend(c for c in child.children if isinstance(c, _Node) and c.tag == "tr")
    return out


def _text_len(node: _Node) -> int:
    """Characters of visible text under ``node`` (scripts and styles not counted)."""
    return sum(len(c.strip()) if isinstance(c, str) else (0 if c.tag in _DROP else _text_len(c))
               for c in node.children)


def _has_table(node: _Node) -> bool:
    return any(isinstance(c, _Node) and (c.tag == "table" or _has_table(c)) for c in node.children)


def _span(cell: _Node, name: str, cap: int) -> int:
    try:
        return max(1, min(int(cell.attrs.get(name, "1").strip() or 1), cap))
    except ValueError:
        return 1


def _grid(rows: list[list[_Node]], texts: dict[int, str]) -> list[list[str]]:
    pending: dict[tuple[int, int], str] = {}  # (row, column) covered by a rowspan from above
    grid: list[list[str]] = []
    for r, cells in enumerate(rows):
        row: list[str] = []
        for cell in cells:
            while (r, len(row)) in pending:
                row.append(pending.pop((r, len(row))))
            text = texts[id(cell)]
            colspan, rowspan = _span(cell, "colspan", 50), _span(cell, "rowspan", len(rows) - r)
            for k in range(colspan):
                for below in range(1, rowspan):
                    pending[(r + below, len(row) + k)] = text if k == 0 else ""
            row.extend([text] + [""] * (colspan - 1))
        while (r, len(row)) in pending:
            row.append(pending.pop((r, len(row))))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]

