"""What a unit name looks like: '基教处', '市学生发展中心', '区教育督导室' — not '督学', '校园', '举办'.

Used by the owner finder (facts.py) and by the schedule reader to tell an owner cell from a task cell
by shape, never by a list of known names.
"""

from __future__ import annotations

import re

# Endings that make a name an organisation, longest first.
_SUFFIXES = sorted(["室", "科", "处", "局", "院", "中心", "馆", "办", "站", "委", "股", "组", "部", "校", "园",
                    "所", "厅", "队", "小学", "中学", "大学", "政府", "机关", "支部",
                    "委员会", "协会", "学会", "工会", "联合会", "理事会", "研究会", "基金会", "总会", "分会",
                    "教研会", "秘书处", "集团"], key=len, reverse=True)

# Words that end like a unit but are rooms, places, verbs or parts: 教室, 校园, 举办, 干部 …
_NOT_UNIT_ENDINGS = ("教室", "实验室", "功能室", "会议室", "阅览室", "录播室", "活动室", "校园", "家园", "乐园",
                     "公园", "花园", "格局", "布局", "举办", "承办", "主办", "开办", "兴办", "督办", "合办", "协办",
                     "民办", "公办", "创办", "交办", "转办", "查办", "代办", "在办", "干部", "全部", "内部", "外部",
                     "之处", "好处", "难处", "此处", "到处", "深处", "用处", "长处", "网站", "母校", "在校", "入校",
                     "到校", "离校", "返校", "驻校", "进校", "住校", "离园", "入园", "在园", "来园", "场所", "处所",
                     "住所", "厕所", "诊所", "团队", "梯队", "排队", "站队", "入队", "集团化")
# …and words that are not units only on their own (安全科, 教学管理科 and 安全局 are units).
_NOT_UNIT_WORDS = {"家校", "校校", "园校", "学科", "本科", "专科", "理科", "文科", "工科", "分科", "全科", "预科", "大局", "全局", "结局",
                   "开局", "新局", "变局", "局部"}

# A name starts like a noun; these openings make it an action (成立…中心, 召开…会).
VERB_START = re.compile(
    r"^(成立|开展|组织|召开|举办|举行|启动|制定|制订|出台|印发|完成|推进|研制|研究|建立|建设|组建|发布|做好|赴|实施|"
    r"评选|遴选|认定|创建|落实|加强|深化|优化|健全|完善|提升|培育|打造|编制|修订|推动|部署|起草|拟定|编写|编印|"
    r"筹建|筹备|参加|参与|配合|牵头|负责|指导|督促|检查|督导|评估|考核|申报|争创|争取|探索|引导|支持|新建|改建|"
    r"扩建|设立|设置|挂牌|命名|表彰|评审|选拔|招聘|培训|开设|增设|成为|作为|依托|围绕|统筹|协调|跟踪|调度|共同|"
    r"联合|印制|开发|推行|实行|设计|上报|报送|出版|发起|对|向|在|为|由|将|把|使|让|与|和)")

_GENERIC_START = re.compile(r"^(各|全|所有|有关|相关|其他|其它|本|我|该|每|此|这|那|其)")
_GENERIC = {"学校", "幼儿园", "中小学", "单位", "部门", "科室", "处室", "高校", "学区", "园所", "小学", "中学", "大学",
            "政府", "机关", "集团", "学院"}

_SEPARATORS = re.compile(r"[、，,；;/\s]+")
_TRAIL = re.compile(r"等(?:单位|部门|科室|处室|学校|相关单位)?$")
LEAD_MARK = re.compile(r"[（(]\s*(?:牵头|主责|负责)\s*[)）]")


def is_unit_name(name: str, allow_generic: bool = False) -> bool:
    """True when ``name`` reads as an organisation (ends in 室/科/处/中心…, starts like a noun).

    Collective names (各学校, 全体处室, 学校) pass only with ``allow_generic`` — in a 责任单位 cell they
    are explicit owners; as the subject of a sentence ('学校要…') they are not.
    """
    name = name.strip()
    if not 2 <= len(name) <= 20 or re.search(r"[的了着过。：:,，\d“”《》]", name):
        return False
    if not any(name.endswith(s) for s in _SUFFIXES) or name in _NOT_UNIT_WORDS \
            or any(name.endswith(w) for w in _NOT_UNIT_ENDINGS):
        return False
    if name.endswith("会") and not any(name.endswith(s) for s in _SUFFIXES if s.endswith("会")):
        return False
    verb = VERB_START.match(name)
    if verb:  # 督导室, 培训中心, 督导评估中心 are names; 成立…中心, 督促各校 are actions
        rest = name[verb.end():]
        if not (rest in _SUFFIXES or len(rest) <= 4 and is_unit_name(rest)):
            return False
    if not allow_generic and (name in _GENERIC or _GENERIC_START.match(name)):
        return False
    return True


def split_units(cell: str) -> list[str]:
    """'基教处、市教研院等' → ['基教处', '市教研院']; separators 、，,；; / and spaces; '等' dropped."""
    names = []
    for part in _SEPARATORS.split(LEAD_MARK.sub("", cell).strip()):
        part = part.strip().strip("()（）[]【】")
        while True:
            stripped = _TRAIL.sub("", part)
            if stripped == part:
                break
            part = stripped
        if part and part not in names:
            names.append(part)
    return names


def is_owner_cell(line: str) -> bool:
    """A line made only of unit names (an owner cell of a flattened table): '组织人事处、', '秘书处、各处室'."""
    text = line.strip()
    if not text or len(text) > 60:
        return False
    names = split_units(text)
    return bool(names) and all(is_unit_name(n, allow_generic=True) for n in names)
