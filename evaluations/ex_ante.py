"""Ex-ante evaluation rules (事前绩效评估, ../shared/domain.md §8): points, pass, gate, savings.

- scope: a project that is new (新增) or renewed after expiry (到期延续) needs an assessment
  when its year's funds reach the template's major-project amount (50万元 by default);
- points: each sub-item's grade gives a share of its points (优 100 %, 良 80 %, 中 60 %,
  差 0 by default); the total is their sum, rounded half up to 2 places;
- pass: the total reaches the pass mark (70 by default, "≥ 70 may be budgeted; < 70 is not
  entered in the 项目库") and the conclusion supports the project (予以支持, or 调整后支持
  where the template counts it, budgeted at the funds supported);
- gate: a project that needs an assessment and has no passing one gets no approved target
  and does not enter the year's evaluated projects; the refusal says which condition failed;
- savings: requested − supported for a supported project, the whole request for one not
  supported ("55 new projects assessed, 8,242万元 saved").
"""

from decimal import ROUND_HALF_UP, Decimal

from .decimals import exact
from .grading import Grade
from .models.ex_ante import Conclusion, ExAnteAssessment
from .models.targets import PerformanceTarget

TWO_PLACES = Decimal("0.01")


def grade_share(template, grade: str) -> Decimal:
    """Return the share (in %) of a sub-item's points its grade gives under the template."""
    return {
        Grade.EXCELLENT: template.excellent_share,
        Grade.GOOD: template.good_share,
        Grade.FAIR: template.fair_share,
        Grade.POOR: template.poor_share,
    }[grade]


def grade_points(template, *, grade: str, points: Decimal) -> Decimal:
    """Return the points a graded sub-item earns (2 places, half up)."""
    return (points * grade_share(template, grade) / 100).quantize(TWO_PLACES, ROUND_HALF_UP)


def in_scope(target: PerformanceTarget) -> bool:
    """Return True if the target is of a kind ex-ante evaluation covers: a new or renewed
    project (its funds decide the rest, needs_assessment)."""
    return target.scope == PerformanceTarget.Scope.PROJECT and target.attribute in (
        PerformanceTarget.Attribute.NEW,
        PerformanceTarget.Attribute.RENEWED,
    )


def needs_assessment(target: PerformanceTarget, template, version=None) -> bool:
    """Return True if the project must pass an ex-ante assessment before it is budgeted,
    judged on the version under review (else the one in force, else the latest)."""
    if not in_scope(target):
        return False
    version = version or target.approved_version or target.versions.order_by("-number").first()
    funds = version.funds_total if version is not None else None
    return funds is not None and funds >= template.major_amount


def supports(assessment: ExAnteAssessment, template) -> bool:
    """Return True if the assessment's conclusion lets the project go forward."""
    if assessment.conclusion == Conclusion.SUPPORT:
        return True
    return assessment.conclusion == Conclusion.ADJUST and template.adjusted_passes


def failure(assessment: ExAnteAssessment | None, template, funds=None) -> str:
    """Return why the assessment does not let the project through, or "" if it does.

    funds: the year's funds the target asks for; above the funds supported, the project
    needs a new assessment (a supported project is budgeted at the funds supported).
    """
    if assessment is None:
        return "该项目须经事前绩效评估，尚未提交评估"
    if assessment.state != ExAnteAssessment.State.CONCLUDED:
        return f"该项目的事前绩效评估尚未出具结论（{assessment.get_state_display()}）"
    if assessment.total is None or assessment.total < template.pass_mark:
        return f"事前绩效评估得分 {assessment.total} 低于 {template.pass_mark} 分，不得纳入预算"
    if not supports(assessment, template):
        return f"事前绩效评估结论为“{assessment.get_conclusion_display()}”，不得纳入预算"
    if funds is not None and assessment.supported is not None and funds > assessment.supported:
        supported = exact(assessment.supported)
        return (
            f"年度资金 {exact(funds)} 万元超过事前绩效评估核定的 {supported} 万元，"
            "须按核定资金安排或重新评估"
        )
    return ""


def savings(assessment: ExAnteAssessment) -> Decimal:
    """Return the funds the assessment saved: requested − supported, all if not supported."""
    if assessment.conclusion == Conclusion.REJECT:
        return assessment.requested
    if assessment.supported is None:
        return Decimal(0)
    return max(Decimal(0), assessment.requested - assessment.supported)
