"""The sentences a school reads in 问题清单: what is wrong with its file, and what to do about it."""

from __future__ import annotations

RESEND = "请用 Excel 或 WPS 打开下发的填报表，填写后另存为 .xlsx 再发送。"
CSV_RESEND = "请用 Excel 或 WPS 打开下发的填报表，填写后直接保存为 .xlsx 再发送（不要另存为 CSV；重新发送的回表会替换这一份）。"
NUMBERS_EXPORT = "请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后重新报送。"
IWORK_EXPORT = ("如果它是 Numbers 表格，请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后重新报送；"
                "如果是 Pages 文稿或 Keynote 演示文稿，它不是回表，请另行报送。")

# code → (problem, action); {name} is the file name, {detail} the reader's figures in Chinese. A
# library's own words (English) never reach these sentences: they stay in the ledger (submissions.kind).
FILE_PROBLEMS: dict[str, tuple[str, str]] = {
    "not_spreadsheet": ("文件「{name}」实际上不是 Excel 文件（是{detail}）", RESEND),
    "encrypted": ("文件「{name}」加了密码，无法读取", "请去掉密码后重新发送。"),
    "truncated": ("文件「{name}」不完整（可能下载或复制中断）", "请重新发送。"),
    "empty": ("文件「{name}」是空的（0 字节）", "请重新发送。"),
    "too_big": ("文件「{name}」过大（{detail}，上限 20 MB），为安全起见未读取",
                "请删去表中插入的图片、附件等，只保留填报内容后重新发送；佐证材料请另行报送。"),
    "bomb": ("文件「{name}」结构异常（{detail}），为安全起见未读取", RESEND),
    "structure": ("文件「{name}」结构异常（{detail}），为安全起见未读取", RESEND),
    "entities": ("文件「{name}」含有不安全的内容（XML 实体声明，位于 {detail}），为安全起见未读取", RESEND),
    "extent": ("文件「{name}」的工作表声称有极大的范围（{detail}），为安全起见未读取", RESEND),
    "damaged": ("文件「{name}」已损坏，无法读取", RESEND),
    "read_error": ("文件「{name}」无法读取（文件已损坏，或是不支持的表格格式）", RESEND),
    "convert": ("文件「{name}」是{detail}，无法直接读取", "请用 Excel 或 WPS 打开，另存为 .xlsx 后重新报送。"),
    # a CSV is read (its one sheet); this is one the csv module cannot parse
    "csv": ("文件「{name}」无法按 CSV 文本读取（格式不规范，或某一格的内容过长）", CSV_RESEND),
    "numbers": ("文件「{name}」是Apple Numbers 表格，无法直接读取", NUMBERS_EXPORT),  # Excel/WPS do not open it
    "iwork": ("文件「{name}」是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），无法直接读取", IWORK_EXPORT),
    "crash": ("文件「{name}」无法读取（读取程序异常退出）", RESEND),
    "memory": ("文件「{name}」无法读取（读取时占用内存超过上限）", RESEND),
    "timeout": ("文件「{name}」无法读取（读取超过 {detail} 秒仍未完成）", RESEND),
    "unreadable": ("文件「{name}」打不开（没有读取权限，或正被其他程序占用）", "请确认文件没有被其他程序占用，或重新复制一份后再运行。"),
}


def file_problem(code: str, name: str, detail: str = "") -> tuple[str, str]:
    from workplan_xl.returns.sniff import IWORK, NUMBERS, iwork_kind

    detail = iwork_kind(detail, name)  # x.numbers, x.pages, x.key by their names
    if code == "convert" and detail == NUMBERS:
        code = "numbers"
    elif code == "convert" and detail == IWORK:
        code = "iwork"
    problem, action = FILE_PROBLEMS.get(code, FILE_PROBLEMS["read_error"])
    return problem.format(name=name, detail=detail or "未知原因"), action
