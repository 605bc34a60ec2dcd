"""Headings a Word plan marks by style or font rather than by a numeral: Heading 1–3 (标题 1–3) or an
outline level, and whole-paragraph bold 黑体 (level 1) or 楷体 (level 2) lines, as GB/T 9704 sets 一、
and （一） headings. The reader prefixes such a paragraph with numbering.heading_line's mark, so the
outline treats it as a heading of that level without inventing a numeral for it."""

from __future__ import annotations

from xml.etree.ElementTree import Element

MAX_HEADING = 60  # characters: longer is body text set in bold


def style_levels(w: str, styles: Element | None) -> dict[str, int]:
    """styleId → heading level 1–3 (Heading 1/标题 1 or an outline level), following basedOn; the
    document title style (Title/标题) is no heading."""
    if styles is None:
        return {}
    direct: dict[str, int] = {}
    based: dict[str, str] = {}
    for st in styles.iter(w + "style"):
        if st.get(w + "type") not in (None, "paragraph"):
            continue
        sid = st.get(w + "styleId") or ""
        name_el = st.find(w + "name")
        name = (name_el.get(w + "val") if name_el is not None else "") or ""
        lvl = st.find(f"{w}pPr/{w}outlineLvl")
        low = name.lower().replace(" ", "")
        if low.startswith(("heading", "标题")) and low[-1:].isdigit():
            direct[sid] = int(low[-1])
        elif lvl is not None and (lvl.get(w + "val") or "").isdigit() and int(lvl.get(w + "val") or 9) < 9:
            direct[sid] = int(lvl.get(w + "val") or 0) + 1
        base = st.find(w + "basedOn")
        if base is not None and base.get(w + "val"):
            based[sid] = base.get(w + "val") or ""
    levels: dict[str, int] = {}
    for sid in set(direct) | set(based):
        seen, cur = 0, sid
        while cur and cur not in direct and seen < 10:
            cur, seen = based.get(cur, ""), seen + 1
        if cur in direct and 1 <= direct[cur] <= 3:
            levels[sid] = direct[cur]
    return levels


def paragraph_level(w: str, p: Element, style: str | None, levels: dict[str, int], text: str) -> int | None:
    """The heading level of paragraph ``p`` (1–3) or None for body text."""
    text = text.strip()
    if not text or len(text) > MAX_HEADING or "\n" in text:
        return None
    ppr = p.find(w + "pPr")
    lvl = ppr.find(w + "outlineLvl") if ppr is not None else None
    if lvl is not None and (lvl.get(w + "val") or "").isdigit() and int(lvl.get(w + "val") or 9) < 3:
        return int(lvl.get(w + "val") or 0) + 1
    if style and style in levels:
        return levels[style]
    if text.endswith(("。", "；", ";", "：", ":")) and len(text) > 20:
        return None
    jc = ppr.find(w + "jc") if ppr is not None else None
    if jc is not None and jc.get(w + "val") in ("center", "right"):
        return None  # a centred bold line is the title or a signature, not a heading
    fonts: set[str] = set()
    runs = [r for r in p.iter(w + "r") if any((t.text or "").strip() for t in r.iter(w + "t"))]
    if not runs:
        return None
    for r in runs:
        rpr = r.find(w + "rPr")
        bold = rpr.find(w + "b") if rpr is not None else None
        font = rpr.find(w + "rFonts") if rpr is not None else None
        face = (font.get(w + "eastAsia") or font.get(w + "ascii") or "") if font is not None else ""
        fonts.add(face)
        is_bold = bold is not None and bold.get(w + "val") not in ("0", "false", "off")
        if not is_bold and not any(f in face for f in ("黑体", "楷体", "SimHei", "KaiTi")):
            return None  # a line with plain runs in it is body text
    if any("楷" in f or "kai" in f.lower() for f in fonts):
        return 2
    return 1
