"""GB/T 9704-2012 (党政机关公文格式) for python-docx: page, fonts, styles, numbering, page numbers.

The report and the notices both write through this module, so a 公文 looks the same wherever it comes
from: A4, margins 37/35/28/26 mm (text block 156 × 225 mm), 22 lines × 28 characters, title 2号
方正小标宋简体, body 3号 仿宋_GB2312, headings 一、黑体 （一）楷体 1. and （1）仿宋, page numbers 4号 宋体
"— 1 —" on the outer side. Every run names its font in all four rFonts slots (python-docx's
``font.name`` leaves w:eastAsia alone, and theme fonts make WPS report missing fonts).

page.py: fonts, styles, page setup, page numbers, saving. blocks.py: heading numbers, number and date
wording, paragraphs, tables and the 落款.
"""

from workplan_xl.gongwen.blocks import (
    Block,
    Para,
    Table,
    Text,
    break_title,
    cn_number,
    format_date,
    format_number,
    heading_number,
    para,
    parse_date,
    signature,
    texts,
    write_blocks,
)
from workplan_xl.gongwen.page import (
    CHARS,
    FANGSONG,
    HEITI,
    KAITI,
    LINE_PITCH,
    LINES,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_H,
    PAGE_W,
    ROLES,
    SONG,
    TEXT_W,
    XBS,
    add_page_numbers,
    backup_existing,
    ensure_styles,
    has_footers,
    highlight,
    new_document,
    role_look,
    save_document,
    set_rfonts,
    set_run_font,
    setup_page,
)

__all__ = ["CHARS", "FANGSONG", "HEITI", "KAITI", "LINES", "LINE_PITCH", "MARGIN_BOTTOM", "MARGIN_LEFT",
           "MARGIN_RIGHT", "MARGIN_TOP", "PAGE_H", "PAGE_W", "ROLES", "SONG", "TEXT_W", "XBS", "Block", "Para",
           "Table", "Text", "add_page_numbers", "backup_existing", "break_title", "cn_number", "ensure_styles",
           "format_date", "format_number", "has_footers", "heading_number", "highlight", "new_document", "para",
           "parse_date", "role_look", "save_document", "set_rfonts", "set_run_font", "setup_page", "signature", "texts", "write_blocks"]
