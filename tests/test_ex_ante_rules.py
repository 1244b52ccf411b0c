"""The ex-ante rules (evaluations.ex_ante): grade points, scope, pass, the gate's reasons
and savings, on plain objects (no database)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from evaluations import ex_ante
from evaluations.models import Conclusion, ExAnteAssessment, ExAnteTemplate

D = Decimal
State = ExAnteAssessment.State


def template(**fields):
    """An unsaved template with the model's defaults (70 to pass, 优 100 % … 差 0)."""
    return ExAnteTemplate(name="测试模板", **fields)


def assessment(*, state=State.CONCLUDED, total="80", conclusion="", requested="100", **kw):
    return ExAnteAssessment(
        state=state,
        total=None if total is None else D(total),
        conclusion=conclusion,
        requested=D(requested),
        **{k: D(v) if isinstance(v, str) else v for k, v in kw.items()},
    )


def target(*, scope="project", attribute="new", funds="50"):
    version = SimpleNamespace(funds_total=None if funds is None else D(funds))
    return SimpleNamespace(scope=scope, attribute=attribute, approved_version=version)


@pytest.mark.parametrize(
    ("grade", "points", "earned"),
    [
        ("优", "10", "10.00"),
        ("良", "10", "8.00"),
        ("中", "10", "6.00"),
        ("差", "10", "0.00"),
        ("良", "7.5", "6.00"),
        ("中", "3.33", "2.00"),  # 1.998 rounds half up to 2 places
        ("良", "0.05", "0.04"),  # 0.040
        ("中", "0.25", "0.15"),
        ("良", "1.25", "1.00"),
    ],
)
def test_a_grade_earns_its_share_of_the_points(grade, points, earned):
    assert ex_ante.grade_points(template(), grade=grade, points=D(points)) == D(earned)


def test_points_round_half_up_to_two_places():
    shares = template(good_share=D("85"), fair_share=D("55"))
    assert ex_ante.grade_points(shares, grade="良", points=D("0.1")) == D("0.09")  # 0.085
    assert ex_ante.grade_points(shares, grade="中", points=D("0.01")) == D("0.01")  # 0.0055


def test_the_template_sets_the_shares():
    strict = template(excellent_share=D(95), good_share=D(75), fair_share=D(50), poor_share=D(10))
    earned = [ex_ante.grade_points(strict, grade=g, points=D(20)) for g in "优良中差"]
    assert earned == [D("19.00"), D("15.00"), D("10.00"), D("2.00")]


def test_the_default_template_of_five_dimensions_all_excellent_is_100():
    points = [ex_ante.grade_points(template(), grade="优", points=D(10)) for _ in range(10)]
    assert sum(points) == D(100)


def test_an_unknown_grade_is_an_error():
    with pytest.raises(KeyError):
        ex_ante.grade_share(template(), "A")


@pytest.mark.parametrize(
    ("project", "needed"),
    [
        (target(), True),  # new, exactly the major amount
        (target(funds="49.999999"), False),
        (target(funds="9298.22276"), True),
        (target(attribute="renewed"), True),  # 到期延续
        (target(attribute="continuing"), False),
        (target(attribute=""), False),
        (target(scope="unit"), False),  # 部门整体
        (target(funds=None), False),
    ],
)
def test_a_new_or_renewed_project_at_the_major_amount_needs_an_assessment(project, needed):
    assert ex_ante.needs_assessment(project, template()) is needed


def test_the_template_sets_the_major_amount():
    assert not ex_ante.needs_assessment(target(funds="99"), template(major_amount=D(100)))
    assert ex_ante.needs_assessment(target(funds="100"), template(major_amount=D(100)))


@pytest.mark.parametrize(
    ("conclusion", "adjusted_passes", "supports"),
    [
        (Conclusion.SUPPORT, True, True),
        (Conclusion.SUPPORT, False, True),
        (Conclusion.ADJUST, True, True),
        (Conclusion.ADJUST, False, False),
        (Conclusion.REJECT, True, False),
        ("", True, False),
    ],
)
def test_support_and_adjusted_support_by_the_template(conclusion, adjusted_passes, supports):
    rules = template(adjusted_passes=adjusted_passes)
    assert ex_ante.supports(assessment(conclusion=conclusion), rules) is supports


def test_no_assessment_fails_and_says_so():
    assert ex_ante.failure(None, template()) == "该项目须经事前绩效评估，尚未提交评估"


@pytest.mark.parametrize(
    ("state", "label"),
    [(State.DRAFT, "草稿"), (State.SUBMITTED, "已提交待评估"), (State.SCORED, "已评分")],
)
def test_an_assessment_without_a_conclusion_fails_and_says_where_it_is(state, label):
    found = ex_ante.failure(assessment(state=state, conclusion=""), template())
    assert found == f"该项目的事前绩效评估尚未出具结论（{label}）"


def test_a_score_under_the_pass_mark_fails_whatever_the_conclusion():
    low = assessment(total="69.99", conclusion=Conclusion.SUPPORT)
    assert ex_ante.failure(low, template(pass_mark=D("70.00"))) == (
        "事前绩效评估得分 69.99 低于 70.00 分，不得纳入预算"
    )


def test_the_pass_mark_itself_passes():
    passed = assessment(total="70.00", conclusion=Conclusion.SUPPORT)
    assert ex_ante.failure(passed, template(pass_mark=D("70.00"))) == ""


def test_the_template_sets_the_pass_mark():
    scored = assessment(total="75.00", conclusion=Conclusion.SUPPORT)
    assert ex_ante.failure(scored, template(pass_mark=D("80.00"))).startswith("事前绩效评估得分")


@pytest.mark.parametrize(
    ("conclusion", "adjusted_passes", "reason"),
    [
        (Conclusion.REJECT, True, "事前绩效评估结论为“不予支持”，不得纳入预算"),
        (Conclusion.ADJUST, False, "事前绩效评估结论为“调整后支持”，不得纳入预算"),
        (Conclusion.ADJUST, True, ""),
        (Conclusion.SUPPORT, True, ""),
    ],
)
def test_a_passing_score_needs_a_supporting_conclusion(conclusion, adjusted_passes, reason):
    scored = assessment(total="88.00", conclusion=conclusion)
    assert ex_ante.failure(scored, template(adjusted_passes=adjusted_passes)) == reason


@pytest.mark.parametrize(
    ("conclusion", "requested", "supported", "saved"),
    [
        (Conclusion.SUPPORT, "476.604", "476.604", "0"),
        (Conclusion.ADJUST, "1033.496", "800.123456", "233.372544"),
        (Conclusion.REJECT, "300.5", "0", "300.5"),
        (Conclusion.REJECT, "300.5", None, "300.5"),
    ],
)
def test_savings_are_the_request_less_the_funds_supported(conclusion, requested, supported, saved):
    found = assessment(conclusion=conclusion, requested=requested, supported=supported)
    assert ex_ante.savings(found) == D(saved)


def test_nothing_is_saved_before_funds_are_supported():
    assert ex_ante.savings(assessment(state=State.SCORED, supported=None)) == D(0)
