"""The figures a report states, each computed from released records and written the one
way decimals.py sets down: amounts exact, with the rounded figure next to them wherever
the two differ (9,298.22276万元（约9,298.22万元）); scores without trailing zeros (96, 80.2).
"""

from decimal import Decimal

from django.urls import reverse

from ..classification import UnitKind
from ..decimals import exact, grouped, rounded
from ..grading import Grade
from . import narrative
from .parts import Paragraph, Run


def amount_text(value: Decimal | None) -> str:
    """Return an amount in 万元: exact, and rounded beside it when they differ."""
    value = value or Decimal(0)
    if rounded(value) == value:
        return f"{grouped(value)}万元"
    return f"{grouped(value)}万元（约{grouped(value, 2)}万元）"


def score_text(value: Decimal | None) -> str:
    return exact(value) if value is not None else "—"


def figure(value, link: str = "") -> Run:
    return Run(str(value), figure=True, link=link)


def generated(*parts) -> Paragraph:
    """Return a paragraph the system writes: strings are its words, Runs its figures."""
    runs = [part if isinstance(part, Run) else Run(part) for part in parts if part != ""]
    return Paragraph(runs, generated=True)


def project_funds(project) -> Decimal:
    """Return a project's funds, Σ of its (prefetched) lines, summed exactly."""
    return sum((line.amount for line in project.funding_lines.all()), Decimal(0))


class Figures:
    """The figures of one region's year, by the names the narrative may use ({名称})."""

    def __init__(self, *, region, year: int, summary: dict, projects: list, firms: int):
        self.region, self.year = region, year
        self.projects = {project.number: project for project in projects}
        self.unresolved: list[str] = []
        self.draft = False  # the bureau's preview shows what the public report leaves out
        units, keyed = summary["units"], summary["projects"]
        units_url, projects_url = self.url("units"), self.url("projects")
        values = {
            "年度": figure(year),
            "上年度": figure(year - 1),
            "下年度": figure(year + 1),
            "区划": figure(region.name),
            "评价单位数": figure(units["count"], units_url),
            **{
                f"{kind.label}数": figure(units["by_kind"][kind.label], units_url)
                for kind in UnitKind
            },
            "评价机构数": figure(firms, units_url),
            "单位最高分": figure(score_text(units["highest_score"]), units_url),
            "单位最低分": figure(score_text(units["lowest_score"]), units_url),
            "重点项目数": figure(keyed["count"], projects_url),
            "资金明细数": figure(keyed["funding_lines"], projects_url),
            "项目资金总额": figure(amount_text(keyed["total_funds"]), projects_url),
            "项目最低自评得分": figure(score_text(keyed["lowest_self_score"]), projects_url),
            "项目最高评分": figure(score_text(keyed["highest_score"]), projects_url),
            "项目最低评分": figure(score_text(keyed["lowest_score"]), projects_url),
        }
        for grade in Grade:
            values[f"单位{grade.label}等级数"] = figure(units["by_grade"][grade.label], units_url)
            values[f"项目{grade.label}等级数"] = figure(
                keyed["by_grade"][grade.label], projects_url
            )
        self.values = values

    def url(self, name: str, *args, year: int | None = None) -> str:
        return reverse(f"evaluations:{name}", args=[self.region.code, year or self.year, *args])

    def project_url(self, project) -> str:
        return self.url("project", project.number)

    def get(self, name: str) -> Run | None:
        """Return the figure a {名称} names, None if the records do not give it."""
        if name in self.values:
            return self.values[name]
        match = narrative.PROJECT_TOKEN.fullmatch(name)
        project = self.projects.get(int(match.group(1))) if match else None
        if project is None:
            return None
        link = self.project_url(project)
        return figure(
            {
                "名称": project.name,
                "资金": amount_text(project_funds(project)),
                "评分": score_text(project.score),
                "等级": project.grade or "—",
            }[match.group(2)],
            link,
        )

    def runs(self, line: str) -> list[Run]:
        """Return a narrative line as runs, each {名称} replaced by its figure.

        A reference the records cannot answer stays visible as 【…】 and is listed in
        unresolved, so the bureau's preview shows it before anyone publishes it.
        """
        runs, start = [], 0
        for match in narrative.TOKEN.finditer(line):
            if match.start() > start:
                runs.append(Run(line[start : match.start()]))
            found = self.get(match.group(1))
            if found is None:
                self.unresolved.append(match.group(1))
                found = Run(f"【无此数据：{match.group(1)}】", figure=True)
            runs.append(found)
            start = match.end()
        if start < len(line):
            runs.append(Run(line[start:]))
        return runs
