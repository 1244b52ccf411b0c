"""Reads of a released project's filings for its public page, and the overview's coverage.

What a visitor sees of a key project beyond its result: the target version in force
(approved) with the conclusion of its ex-ante assessment, the approved self-evaluation
against it (actual values, scores, budget execution) and the firm's sheet. Every read
starts from the policy's public querysets, so a target with no approved version or a
self-evaluation not yet approved shows nothing.
Each read is a fixed number of queries whatever the number of indicators.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch

from .. import ex_ante, policies, scoring
from ..decimals import grouped
from ..models import (
    ExAnteAssessment,
    IndicatorNode,
    PerformanceTarget,
    Project,
    Region,
    SelfEvaluation,
    SelfEvaluationEntry,
    TargetVersion,
    ThirdPartyScore,
    ThirdPartySheet,
)
from .targets import target_coverage, tree

# A quantitative target missed still counts as partly met when its formula allows at least
# this share of the indicator's points (the qualitative 部分达成 tier starts at 50 %).
PARTLY_MET_SHARE = Decimal("0.60")


class Status(models.TextChoices):
    MET = "met", "达成"
    PARTLY = "partly", "部分达成"
    MISSED = "missed", "未达成"
    NOT_APPLICABLE = "not_applicable", "不适用"


QUALITATIVE_STATUS = {
    scoring.Tier.MET: Status.MET,
    scoring.Tier.PARTLY: Status.PARTLY,
    scoring.Tier.MISSED: Status.MISSED,
}


def indicator_status(indicator: IndicatorNode, entry: SelfEvaluationEntry) -> Status | None:
    """Return how far the self-evaluation says the indicator's target was met.

    The rule, the one the public page states:
    - an indicator marked not applicable → 不适用;
    - quantitative: the actual value reaches the target under its operator
      (scoring.reached; a value written without an operator reads as ≥) → 达成; not
      reached, but the formula (scoring.quantitative_ceiling) still allows at least 60 %
      of the points → 部分达成; otherwise → 未达成;
    - qualitative: the reviewer's tier — 达成预期指标 → 达成, 部分达成预期指标并具有一定
      效果 → 部分达成, 未达成预期指标且效果较差 → 未达成.
    Return None when the entry lacks what the rule needs (no actual value, no tier).
    """
    if not entry.applicable:
        return Status.NOT_APPLICABLE
    if not indicator.quantitative:
        return QUALITATIVE_STATUS[entry.tier] if entry.tier else None
    target, actual = indicator.target_number, entry.actual_number
    if target is None or actual is None:
        return None
    operator = scoring.operator_of(indicator.operator, indicator.direction)
    if scoring.reached(operator, target, actual):
        return Status.MET
    share = scoring.quantitative_ceiling(
        operator=operator, target=target, actual=actual, points=Decimal(1)
    )
    return Status.PARTLY if share >= PARTLY_MET_SHARE else Status.MISSED


@dataclass
class IndicatorRow:
    """One 三级 indicator of a table, with the 一级 / 二级 it sits under.

    first_span and second_span are the rows the 一级 / 二级 cell covers, set on the first
    row of each group and 0 on the others (the merged cells of the printed table).
    """

    first: IndicatorNode
    second: IndicatorNode | None
    leaf: IndicatorNode
    entry: SelfEvaluationEntry | None = None
    status: Status | None = None
    score: ThirdPartyScore | None = None
    first_span: int = 0
    second_span: int = 0
    first_score: Decimal | None = None  # the sheet's: Σ scores of the 一级 group


@dataclass
class ExAnteConclusion:
    """A released project's concluded ex-ante assessment, its 万元 figures exact
    (decimals.grouped) and the funds it saved (ex_ante.savings)."""

    assessment: ExAnteAssessment
    requested: str
    supported: str
    saved: str


def _ex_ante_conclusion(assessment: ExAnteAssessment | None) -> ExAnteConclusion | None:
    if assessment is None:
        return None
    return ExAnteConclusion(
        assessment=assessment,
        requested=grouped(assessment.requested),
        supported=grouped(assessment.supported),
        saved=grouped(ex_ante.savings(assessment)),
    )


@dataclass
class ProjectFilings:
    target: PerformanceTarget | None
    version: TargetVersion | None
    self_evaluation: SelfEvaluation | None
    rows: list[IndicatorRow]
    # The approved self-evaluation was made on another version than the one in force
    # (the target was adjusted since): its indicator figures are not matched to the rows.
    evaluated_other_version: bool
    sheet: ThirdPartySheet | None
    sheet_rows: list[IndicatorRow]
    # The concluded ex-ante assessment (事前绩效评估) of the project, if public.
    ex_ante: ExAnteConclusion | None = None


def _spans(rows: list[IndicatorRow]) -> list[IndicatorRow]:
    """Set the 一级 and 二级 spans of rows already in table order."""
    first_head = second_head = None
    for row in rows:
        if first_head is None or row.first.pk != first_head.first.pk:
            first_head = second_head = row
        elif (
            row.second is None
            or second_head.second is None
            or row.second.pk != second_head.second.pk
        ):
            second_head = row
        first_head.first_span += 1
        second_head.second_span += 1
    return rows


def _version_rows(version: TargetVersion) -> list[IndicatorRow]:
    """Return the version's 三级 indicators in table order under their 一级 and 二级."""
    rows = []
    for root in tree(list(IndicatorNode.objects.filter(version=version))):
        for child in root.children:
            if child.level == 3:
                rows.append(IndicatorRow(root.attrs["row"], None, child.attrs["row"]))
                continue
            for leaf in child.children:
                rows.append(IndicatorRow(root.attrs["row"], child.attrs["row"], leaf.attrs["row"]))
    return _spans(rows)


def _public_self_evaluation(target: PerformanceTarget) -> SelfEvaluation | None:
    return (
        policies.public_self_evaluations()
        .filter(target=target)
        .select_related("framework", "version")
        .prefetch_related("entries")
        .first()
    )


def _sheet(project: Project) -> tuple[ThirdPartySheet | None, list[IndicatorRow]]:
    """Return the project's completed third-party sheet and its scores in table order."""
    scores = ThirdPartyScore.objects.select_related("indicator__parent__parent").order_by(
        "indicator__parent__parent__position",
        "indicator__parent__position",
        "indicator__position",
        "indicator__pk",
    )
    sheet = (
        policies.public_sheets()
        .filter(project=project)
        .prefetch_related(Prefetch("scores", queryset=scores))
        .first()
    )
    if sheet is None:
        return None, []
    rows = _spans(
        [
            IndicatorRow(s.indicator.parent.parent, s.indicator.parent, s.indicator, score=s)
            for s in sheet.scores.all()
        ]
    )
    head = None
    for row in rows:
        if row.first_span:
            head = row
            head.first_score = Decimal(0)
        head.first_score += row.score.score
    return sheet, rows


def project_filings(*, project: Project) -> ProjectFilings:
    """Return the public filings of a released project (from selectors.project_detail).

    Queries: the target with its version in force and its public ex-ante conclusion (1);
    if there is one, its indicators (1) and the approved self-evaluation (1) with its
    entries (1 if found); the completed sheet (1) with its scores (1 if found).
    """
    public_ex_ante = policies.public_ex_ante().filter(target=OuterRef("pk"))
    target = (
        policies.public_targets()
        .filter(evaluation=project)
        .annotate(ex_ante_public=Exists(public_ex_ante))
        .select_related("approved_version", "ex_ante__firm", "ex_ante__template")
        .first()
    )
    version = target.approved_version if target is not None else None
    public = target is not None and target.ex_ante_public
    conclusion = _ex_ante_conclusion(target.ex_ante if public else None)
    rows, self_evaluation, other_version = [], None, False
    if target is not None:
        rows = _version_rows(version)
        self_evaluation = _public_self_evaluation(target)
    if self_evaluation is not None:
        other_version = self_evaluation.version_id != version.pk
        entries = {e.indicator_id: e for e in self_evaluation.entries.all()}
        for row in rows:
            row.entry = entries.get(row.leaf.pk)
            if row.entry is not None:
                row.status = indicator_status(row.leaf, row.entry)
    sheet, sheet_rows = _sheet(project)
    return ProjectFilings(
        target=target,
        version=version,
        self_evaluation=self_evaluation,
        rows=rows,
        evaluated_other_version=other_version,
        sheet=sheet,
        sheet_rows=sheet_rows,
        ex_ante=conclusion,
    )


def public_target_coverage(*, region: Region, year: int) -> dict | None:
    """Return the year's target-coverage figures (selectors.targets.target_coverage), or
    None when the region has no approved target that year.

    Targets are disclosed with the budget, so every approved target of the region and
    year counts, whether or not its project was evaluated and released.
    """
    figures = target_coverage(region=region, year=year)
    if not (figures["departments"] or figures["projects"]):
        return None
    return figures
