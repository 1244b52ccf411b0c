"""The bureau's narrative of the annual report: how its text is written and read.

One paragraph a line. Three things in it are more than words:
- a line that starts with （一）, （二）… and holds no 。 is a sub-heading; the report numbers
  the sub-headings of a chapter in order, so the number typed is not kept;
- {名称} puts in a figure computed from the released records — {年度}, {重点项目数},
  {项目资金总额}, {项目5.资金} — so no figure the data gives is ever typed by hand (the
  seed report's narrative said 9,299万元 where its own table adds up to 9,298.22276);
- a line holding only {块名} — {重点项目评价结果表} — puts one of the section's generated
  paragraphs or tables there; those the text does not place follow the text.
"""

import re

from ..classification import UnitKind
from ..grading import Grade
from ..models import ReportSection

TOKEN = re.compile(r"\{([^{}\n]*)\}")
PROJECT_TOKEN = re.compile(r"项目(\d+)\.(名称|资金|评分|等级)")
HEADING = re.compile(r"^（[一二三四五六七八九十]+）\s*(\S.*)$")

# {名称}: what each figure is (the admin lists them with their current values).
FIGURES = {
    "年度": "报告年度",
    "上年度": "报告年度的上一年",
    "下年度": "报告年度的下一年",
    "区划": "区划名称",
    "评价单位数": "部门整体绩效评价的单位数",
    **{f"{kind.label}数": f"其中{kind.label}的单位数" for kind in UnitKind},
    "评价机构数": "开展部门整体绩效评价的第三方机构数",
    "单位最高分": "部门整体绩效评价最高分",
    "单位最低分": "部门整体绩效评价最低分",
    **{f"单位{grade.label}等级数": f"评价等级为“{grade.label}”的单位数" for grade in Grade},
    "重点项目数": "重点项目数",
    "资金明细数": "重点项目的资金明细行数",
    "项目资金总额": "重点项目资金总额（各资金明细之和，精确值及约数）",
    "项目最低自评得分": "各资金明细的最低自评得分",
    "项目最高评分": "第三方机构最高评分",
    "项目最低评分": "第三方机构最低评分",
    **{f"项目{grade.label}等级数": f"评价等级为“{grade.label}”的项目数" for grade in Grade},
}
PROJECT_FIGURES = {
    "名称": "序号为 N 的重点项目的名称",
    "资金": "该项目的资金（各资金明细之和）",
    "评分": "该项目的第三方机构评分",
    "等级": "该项目的评价等级",
}

# {块名}: the generated paragraphs and tables of each section, in their default order.
BLOCKS = {
    ReportSection.TARGETS: ("绩效目标覆盖情况",),
    ReportSection.MONITORING: ("绩效运行监控情况",),
    ReportSection.EVALUATION: ("绩效评价开展情况",),
    ReportSection.DISCLOSURE: ("绩效信息公开情况",),
    ReportSection.UNITS: ("部门整体评价概况", "部门整体评价结果表"),
    ReportSection.PROJECTS: ("重点项目评价概况", "重点项目评价结果表", "分等级评价情况"),
    ReportSection.PROBLEMS: ("问题整改情况",),
}
BLOCK_SECTIONS = {name: section for section, names in BLOCKS.items() for name in names}


def known_figure(name: str) -> bool:
    return name in FIGURES or PROJECT_TOKEN.fullmatch(name) is not None


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse(text: str, section: str) -> list[tuple[str, str]]:
    """Return the text's items in order: ("heading", title), ("block", name) for a block
    of this section placed on its own line, ("paragraph", line)."""
    items = []
    for line in lines(text):
        token = TOKEN.fullmatch(line)
        heading = HEADING.match(line)
        if token and token.group(1) in BLOCKS.get(section, ()):
            items.append(("block", token.group(1)))
        elif heading and "。" not in line:
            items.append(("heading", heading.group(1)))
        else:
            items.append(("paragraph", line))
    return items


def problems(text: str, section: str) -> list[str]:
    """Return what is wrong with the references in a section's text (empty if nothing)."""
    found, placed = [], set()
    label = ReportSection(section).label
    for line in lines(text):
        whole = TOKEN.fullmatch(line)
        if whole and whole.group(1) in BLOCKS.get(section, ()):
            name = whole.group(1)
            if name in placed:
                found.append(f"“{{{name}}}”出现了两次")
            placed.add(name)
            continue
        for name in TOKEN.findall(line):
            if name in BLOCK_SECTIONS:
                home = ReportSection(BLOCK_SECTIONS[name]).label
                where = "须单独成行" if BLOCK_SECTIONS[name] == section else f"只能用在“{home}”部分"
                found.append(f"“{{{name}}}”{where}")
            elif not known_figure(name):
                found.append(f"不认识的引用“{{{name}}}”（“{label}”部分）")
        rest = TOKEN.sub("", line)
        if "{" in rest or "}" in rest:
            found.append(f"花括号不成对：“{line[:30]}”")
    return found
