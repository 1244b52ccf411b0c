"""The paragraphs the system writes into the report, every figure from released records.

Each function returns the blocks of one {块名} (narrative.BLOCKS). Where the records hold
nothing for a figure the report says so plainly instead of printing a number.
"""

from ..decimals import grouped
from ..grading import Grade
from .figures import Figures, amount_text, figure, generated, project_funds, score_text
from .parts import Paragraph


def _listed(items: list[list]) -> list:
    """Join phrases as 甲、乙和丙."""
    parts: list = []
    for index, item in enumerate(items):
        if index:
            parts.append("和" if index == len(items) - 1 else "、")
        parts.extend(item)
    return parts


def _quoted(grade: str) -> str:
    return f"“{grade}”"


def targets(f: Figures, coverage: dict | None) -> list[Paragraph]:
    """绩效目标覆盖情况: from the year's approved targets."""
    if coverage is None:
        return [
            generated(f"系统中没有{f.year}年度已批复的绩效目标记录，暂不列示绩效目标覆盖情况。")
        ]
    link = f.url("overview")
    parts = []
    if coverage["departments"]:
        parts += [figure(coverage["departments"], link), "个部门设定了部门整体绩效目标"]
    if coverage["projects"]:
        parts += ["，" if parts else ""]
        parts += [figure(coverage["projects"], link), "个项目编制了绩效目标，涉及资金"]
        parts += [figure(amount_text(coverage["funds"]), link)]
    return [generated(f"{f.year}年，", *parts, "。")]


def monitoring(f: Figures, rounds) -> list[Paragraph]:
    """绩效运行监控情况: the year's monitoring periods and their approved reports."""
    if not rounds:
        return [generated(f"系统中没有{f.year}年度绩效运行监控的记录。")]
    labels = "、".join(period.label for period, _ in rounds)
    reports = sum(count for _, count in rounds)
    parts = [f"{f.year}年开展绩效运行监控", figure(len(rounds)), f"次（{labels}），"]
    parts += ["经审核的重点项目绩效监控表共", figure(reports), "份"]
    if len(rounds) > 1:
        each = [[f"{period.label}", figure(count), "份"] for period, count in rounds]
        parts += ["（其中", *_listed(each), "）"]
    return [generated(*parts, "。")]


def evaluations(f: Figures, counts: dict) -> list[Paragraph]:
    """绩效评价开展情况: the previous year's public evaluations (done this year)."""
    previous = f.year - 1
    if not (counts["units"] or counts["projects"]):
        return [generated(f"系统中没有{previous}年度财政资金的公开评价结果记录。")]
    done = []
    if counts["units"]:
        link = f.url("units", year=previous)
        done.append([figure(counts["units"], link), "个部门（单位）开展了部门整体绩效评价"])
    if counts["projects"]:
        link = f.url("projects", year=previous)
        done.append([figure(counts["projects"], link), "个项目开展了重点绩效评价"])
    parts = [f"{f.year}年，对{previous}年财政资金涉及的", *done[0]]
    if len(done) > 1:
        parts += ["，对", *done[1]]
    return [generated(*parts, "，评价结果已在本系统公开。")]


def disclosure(f: Figures, disclosed: dict) -> list[Paragraph]:
    """绩效信息公开情况: the previous year's self-evaluations published with its accounts."""
    previous = f.year - 1
    if not disclosed["count"]:
        return [generated(f"系统中没有随{previous}年度决算公开的项目支出绩效自评记录。")]
    link = f.url("projects", year=previous)
    return [
        generated(
            f"随{previous}年度决算公开重点项目支出绩效自评表",
            figure(disclosed["count"], link),
            "份，涉及资金",
            figure(amount_text(disclosed["funds"]), link),
            "。",
        )
    ]


def units_overview(f: Figures, summary: dict, firms: int) -> list[Paragraph]:
    """部门整体评价概况: counts by kind, firms, grades, highest and lowest score."""
    units = summary["units"]
    if not units["count"]:
        return [generated("本年度没有公开的部门整体绩效评价结果。")]
    link = f.url("units")
    parts = [f"对{f.year}年财政资金开展部门整体绩效评价的单位共", figure(units["count"], link)]
    parts.append("个")
    kinds = [[figure(n, link), f"个{kind}"] for kind, n in units["by_kind"].items() if n]
    if len(kinds) > 1:
        parts += ["（其中：", *_listed(kinds), "）"]
    if firms:
        parts += ["，由", figure(firms, link), "家第三方机构评价"]
    grades = [(grade, n) for grade, n in units["by_grade"].items() if n]
    parts.append("。评价等级为")
    for index, (grade, n) in enumerate(grades):
        parts += ["、" if index else "", f"{_quoted(grade)}的", figure(n, link), "个"]
    present = {grade for grade, _ in grades}
    if present <= {Grade.EXCELLENT.label}:
        parts.append("，结果均为“优”")
    elif present <= {Grade.EXCELLENT.label, Grade.GOOD.label}:
        parts.append("，结果均在“良”及以上")
    parts += ["；评价最高分", figure(score_text(units["highest_score"]), link), "分，"]
    parts += ["最低分", figure(score_text(units["lowest_score"]), link), "分，详见下表。"]
    return [generated(*parts)]


def projects_overview(f: Figures, summary: dict) -> list[Paragraph]:
    """重点项目评价概况: count, lines, the exact total, self-scores, grades, scores."""
    projects = summary["projects"]
    if not projects["count"]:
        return [generated("本年度没有公开的重点项目绩效评价结果。")]
    link = f.url("projects")
    parts = [figure(projects["count"], link), "个项目评价涉及资金总额"]
    parts += [figure(amount_text(projects["total_funds"]), link), "，共"]
    parts += [figure(projects["funding_lines"], link), "项资金明细"]
    if projects["lowest_self_score"] is not None:
        lowest = score_text(projects["lowest_self_score"])
        parts += ["；绩效自评得分均在", figure(lowest, link), "分以上"]
    grades = [(grade, n) for grade, n in projects["by_grade"].items() if n]
    for index, (grade, n) in enumerate(grades):
        lead = "，第三方机构评价等级为" if not index else "，评价等级为"
        parts += [lead, f"{_quoted(grade)}的项目", figure(n, link), "个"]
    if projects["highest_score"] is not None:
        parts += ["；第三方机构评分最高", figure(score_text(projects["highest_score"]), link)]
        parts += ["分，最低", figure(score_text(projects["lowest_score"]), link), "分"]
    return [generated(*parts, "。（评价结果详见下表）")]


def grade_accounts(f: Figures, projects: list) -> list[Paragraph]:
    """分等级评价情况: per grade, how many projects, their funds, scores and names."""
    paragraphs = []
    for grade in Grade:
        graded = [project for project in projects if project.grade == grade.value]
        if not graded:
            continue
        scores = [project.score for project in graded if project.score is not None]
        funds = sum((project_funds(project) for project in graded), start=0)
        parts = [figure(len(graded), f.url("projects")), f"个项目评价等级为{_quoted(grade.label)}"]
        parts += ["，涉及资金", figure(amount_text(funds), f.url("projects"))]
        if scores:
            low, high = score_text(min(scores)), score_text(max(scores))
            span = [figure(low)] if low == high else [figure(low), "～", figure(high)]
            parts += ["，第三方机构评分", *span, "分"]
        parts.append("，分别是：")
        for index, project in enumerate(graded):
            link = f.project_url(project)
            amount = f"{grouped(project_funds(project))}万元"  # exact; the total carries 约
            parts += ["、" if index else "", figure(project.name, link), "（"]
            parts += [figure(amount, link), "，", figure(score_text(project.score), link), "分）"]
        paragraphs.append(generated(*parts, "。"))
    return paragraphs


def problems(f: Figures, counts: dict) -> list[Paragraph]:
    """问题整改情况: the problems recorded on the year's released evaluations."""
    if not counts["count"]:
        return [generated(f"系统中尚未登记{f.year}年度评价发现的具体问题。")]
    parts = [f"{f.year}年度评价共发现问题", figure(counts["count"]), "个，涉及"]
    parts += [figure(counts["units"]), "个单位"]
    states = [
        ("已核实整改", counts["verified"]),
        ("已报整改情况待核实", counts["reported"]),
        ("待整改", counts["open"]),
    ]
    listed = [[label, figure(n), "个"] for label, n in states if n]
    parts += ["；其中", *_listed(listed)]
    if counts["overdue"]:
        parts += ["，已过整改期限尚未核实整改的", figure(counts["overdue"]), "个"]
    return [generated(*parts, "。")]
