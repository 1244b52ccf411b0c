"""Released result rows created straight through the ORM (bulk_create), fast and in any number;
targets, self-evaluations and third-party sheets filed through their services, as users do."""

from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import User

from evaluations.classification import UnitKind
from evaluations.grading import grade_for
from evaluations.indicators import SELF_EVALUATION_TREE, Node
from evaluations.models import (
    Firm,
    FundingLine,
    PerformanceTarget,
    Project,
    Unit,
    UnitEvaluation,
    UserRole,
)
from evaluations.selectors.targets import version_leaves
from evaluations.services.self_evaluations import (
    self_evaluation_save,
    self_evaluation_start,
    self_evaluation_transition,
)
from evaluations.services.targets import target_create, target_review, target_submit
from evaluations.services.third_party import sheet_framework, sheet_save
from evaluations.workflow import FilingState, State


def add_units(region, year, count, *, prefix="单位", firm_names=("甲评价公司", "乙评价公司")):
    """Create count evaluated units of the region and year, scores spread over 60–99."""
    firms = [Firm.objects.get_or_create(name=name)[0] for name in firm_names]
    kinds = list(UnitKind)
    units = Unit.objects.bulk_create(
        Unit(region=region, name=f"{prefix}{i:04d}", kind=kinds[i % len(kinds)])
        for i in range(count)
    )
    UnitEvaluation.objects.bulk_create(
        UnitEvaluation(
            region=region,
            year=year,
            unit=unit,
            firm=firms[i % len(firms)],
            score=score,
            grade=grade_for(score),
            state=State.RELEASED,
        )
        for i, unit in enumerate(units)
        for score in [Decimal(60 + i % 40) + Decimal("0.25")]
    )


def add_projects(region, year, count, *, prefix="项目"):
    """Create count projects of the region and year, each funded by two lines."""
    projects = Project.objects.bulk_create(
        Project(
            region=region,
            year=year,
            number=i + 1,
            name=f"{prefix}{i:04d}",
            score=score,
            grade=grade_for(score),
            state=State.RELEASED,
        )
        for i in range(count)
        for score in [Decimal(70 + i % 30) + Decimal("0.5")]
    )
    FundingLine.objects.bulk_create(
        FundingLine(
            project=project,
            position=position,
            label=f"{project.name}{suffix}",
            amount=Decimal("100.123456") * position,
            self_score=Decimal("90.00") + position,
        )
        for project in projects
        for position, suffix in ((1, ""), (2, "（经开区）"))
    )
    return projects


def add_role_user(username, role, *, units=(), firm=None):
    """Create a login working in the given workflow role, bound to the units or the firm."""
    user = User.objects.create_user(username, password="pw-tests-only", is_staff=True)
    UserRole.objects.create(user=user, role=role, firm=firm).units.set(units)
    return user


def leaf(first, second, name, points, target, *, quantitative=True, core=False):
    """Return the spec of one 三级 indicator: where it sits, its points and its target text."""
    return {
        "first": first,
        "second": second,
        "name": name,
        "points": Decimal(points),
        "target": target,
        "quantitative": quantitative,
        "core": core,
    }


def spread_leaves(count):
    """Return count quantitative leaves (≥ 3) whose points add up to the default 90:
    产出 50 split over count − 2, 效益 30 and 满意度 10 one each."""
    outputs = count - 2
    each = (Decimal(50) / outputs).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [
        leaf("产出指标", "数量指标", f"产出指标{i:02d}", each, "≥100个") for i in range(outputs - 1)
    ] + [
        leaf("产出指标", "质量指标", "验收合格率", Decimal(50) - each * (outputs - 1), "≥95%"),
        leaf("效益指标", "社会效益指标", "受益人数", 30, "≥1000人"),
        leaf("满意度指标", "服务对象满意度指标", "服务对象满意度", 10, "≥90%"),
    ]


def indicator_tree(leaves):
    """Return the indicator tree of the leaves under the default 一级 (50 / 30 / 10)."""
    firsts = {name: Node(name, 1, points) for name, points, _ in SELF_EVALUATION_TREE}
    seconds = {}
    for spec in leaves:
        key = (spec["first"], spec["second"])
        if key not in seconds:
            seconds[key] = Node(spec["second"], 2)
            firsts[spec["first"]].children.append(seconds[key])
        attrs = {"target_value": spec["target"], "quantitative": spec["quantitative"]}
        seconds[key].children.append(
            Node(spec["name"], 3, spec["points"], attrs={**attrs, "core": spec["core"]})
        )
    return list(firsts.values())


def add_target(
    *,
    region,
    year,
    unit,
    department,
    reviewer,
    leaves,
    evaluation=None,
    scope=PerformanceTarget.Scope.PROJECT,
    name="",
    funds_total=Decimal("100"),
    approve=True,
):
    """File a target through the services and submit it; approve it (优) unless told not."""
    name = name or (evaluation.name if evaluation else "")
    target = target_create(
        user=department,
        region=region,
        year=year,
        unit=unit,
        scope=scope,
        project_name=name,
        evaluation=evaluation,
        tree=indicator_tree(leaves),
        overall_goal=f"{name or unit.name}年度总体目标",
        funds_total=funds_total if scope == PerformanceTarget.Scope.PROJECT else None,
    )
    version = target_submit(version=target.versions.get(), user=department)
    if approve:
        target_review(version=version, user=reviewer, grade="优", comment="同意")
    target.refresh_from_db()
    return target


def add_self_evaluation(
    *, target, department, reviewer, results=None, state=FilingState.APPROVED, **changes
):
    """Fill the target's self-evaluation through the services and take it to state.

    results maps an indicator's name to its entry fields; an indicator not named reaches
    its target (actual value = its target number). changes are the table's own fields.
    """
    evaluation = self_evaluation_start(target=target, user=department)
    results = results or {}
    entries = {}
    for node in version_leaves(target.approved_version):
        default = {"actual_value": f"{node.target_number}"} if node.quantitative else {}
        entries[node.pk] = results.get(node.name, default)
    changes = {"spent": evaluation.full_year_budget, "goal_actual": "已完成年度目标", **changes}
    evaluation = self_evaluation_save(
        self_evaluation=evaluation, user=department, changes=changes, entries=entries
    )
    if state in (FilingState.SUBMITTED, FilingState.APPROVED):
        evaluation = self_evaluation_transition(
            self_evaluation=evaluation, user=department, name="submit"
        )
    if state == FilingState.APPROVED:
        evaluation = self_evaluation_transition(
            self_evaluation=evaluation, user=reviewer, name="approve"
        )
    return evaluation


def add_sheet(*, project, firm_user, deduction=Decimal("0.50"), finding="未发现问题", summary=""):
    """Score every indicator of the region's third-party framework as the assigned firm,
    each deduction below its points, then release the project."""
    Project.objects.filter(pk=project.pk).update(state=State.ASSIGNED)
    project.refresh_from_db()
    nodes = sheet_framework(project).nodes.filter(level=3)
    scores = {node.pk: (node.points - deduction, f"{node.name}：{finding}") for node in nodes}
    sheet = sheet_save(project=project, user=firm_user, scores=scores, summary=summary)
    Project.objects.filter(pk=project.pk).update(state=State.RELEASED)
    project.refresh_from_db()
    return sheet


def add_key_project(region, year, *, number=1, name="学前教育项目", unit=None, firm=None):
    """Create a released key project of one funding line."""
    project = Project.objects.create(
        region=region,
        year=year,
        number=number,
        name=name,
        unit=unit,
        firm=firm,
        score=Decimal("91.13"),
        state=State.RELEASED,
    )
    FundingLine.objects.create(
        project=project, position=1, label=name, amount=Decimal("476.604"), self_score=90
    )
    return project
