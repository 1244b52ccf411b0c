"""Performance targets: filing, review, approval and adjustment of versions.

A target starts from the region's framework (its 一级 and 二级 nodes with their points);
the department writes the 三级 indicators, submits, and the bureau reviews with a grade
(workflow.TARGET_REVIEW). An approved version is never edited again: target_adjust copies
it into a new version with the reason, which is reviewed in its turn; the approved
version stays on record and the target points at the version in force.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import policies
from ..indicators import (
    Node,
    direction_for,
    normalise,
    parse_value,
    points_text,
    tree_problems,
)
from ..models import Framework, IndicatorNode, PerformanceTarget, Project, TargetVersion
from ..selectors.targets import LEAF_ATTRS, framework_for, framework_tree, leaves, version_tree
from ..workflow import TARGET_REVIEW, FilingState, Role
from .ex_ante import gate_problem
from .filings import (
    check_revision,
    clean_or_refuse,
    editable_or_refuse,
    filing_transition,
    refuse_other_fields,
)
from .workflow import WorkflowError, locked_row, record_event

VERSION_FIELDS = ("overall_goal", "long_term_goal", "funds_total", "funds_fiscal", "funds_other")


def _framework(region, year) -> Framework:
    framework = framework_for(purpose=Framework.Purpose.SELF_EVALUATION, region=region, year=year)
    if framework is None:
        raise WorkflowError("没有适用的指标体系模板，请财政局先设置")
    return framework


def starting_tree(framework: Framework) -> list[Node]:
    """Return the tree a new target starts from: the framework's nodes that carry points
    (its 一级 and 二级, and any common 三级 with points); 三级 without points are the
    library a department picks from."""

    def keep(node):
        if node.level == 3 and node.points is None:
            return None
        attrs = {k: v for k, v in node.attrs.items() if k != "row"}
        if node.level == 3:
            attrs["common"] = True
        kept = [c for c in (keep(child) for child in node.children) if c is not None]
        return Node(node.name, node.level, node.points, kept, attrs)

    return [keep(root) for root in framework_tree(framework)]


def _leaf_fields(attrs: dict) -> dict:
    fields = {name: attrs[name] for name in LEAF_ATTRS if name in attrs}
    text = str(fields.get("target_value") or "").strip()
    value = parse_value(text)
    if value is not None and value.operator and not fields.get("operator"):
        fields["operator"] = value.operator
    if value is not None and value.unit and not fields.get("unit_of_measure"):
        fields["unit_of_measure"] = value.unit
    if fields.get("quantitative", value is not None and value.quantitative):
        fields["quantitative"] = True
        fields["target_number"] = value.number if value is not None else None
        if value is not None and value.number is not None:
            # The text keeps the number as written; operator and unit have their own fields.
            fields["target_value"] = f"{value.number}"
    else:
        fields["quantitative"] = False
        fields["target_number"] = None
    if not fields.get("direction"):
        fields["direction"] = direction_for(fields.get("operator", ""))
    return fields


def write_tree(version: TargetVersion, roots: list[Node]) -> None:
    """Replace the version's indicator nodes with the tree, level by level."""
    version.indicators.all().delete()
    normalise(roots)
    level = [(root, None) for root in roots]
    while level:
        rows = []
        for position, (node, parent) in enumerate(level):
            fields = _leaf_fields(node.attrs) if node.level == 3 else {}
            rows.append(
                IndicatorNode(
                    version=version,
                    parent=parent,
                    level=node.level,
                    position=position,
                    name=node.name,
                    points=node.points,
                    **fields,
                )
            )
        created = IndicatorNode.objects.bulk_create(rows)
        level = [
            (child, row)
            for (node, _), row in zip(level, created, strict=True)
            for child in node.children
        ]


def version_problems(version: TargetVersion) -> list[str]:
    """Return every reason the version may not be submitted (empty when it may)."""
    problems = []
    framework = version.framework
    roots = version_tree(version)
    if not version.overall_goal.strip():
        problems.append("请填写年度总体目标")
    if version.target.scope == PerformanceTarget.Scope.PROJECT and version.funds_total is None:
        problems.append("请填写年度资金总额")
    problems += tree_problems(roots, total=framework.indicator_total)
    if not framework.allow_adjustment:
        expected = {root.name: root.points for root in framework_tree(framework)}
        for root in roots:
            if root.name in expected and root.points != expected[root.name]:
                problems.append(
                    f"“{root.name}”应为 {points_text(expected[root.name])} 分"
                    "（模板不允许调整一级指标分值）"
                )
    for root in roots:
        if not leaves([root]):
            problems.append(f"“{root.name}”下至少要有一个三级指标")
    for leaf in leaves(roots):
        row = leaf.attrs["row"]
        if row.quantitative and (row.target_number is None or not row.operator):
            problems.append(f"“{row.name}”：定量指标须填写计算符号和数值指标值")
        if not row.quantitative and not row.target_value.strip():
            problems.append(f"“{row.name}”：请填写指标值")
        implied = direction_for(row.operator)
        if implied and row.direction and row.direction != implied:
            problems.append(f"“{row.name}”：计算符号“{row.operator}”与指标方向不符")
    return problems


def key_project_named(*, region, year: int, unit, name: str):
    """Return the unit's key-project evaluation of the year with that exact name, not yet
    tied to a target, or None: a key project's target is found by its name and owner, as
    bureaus match them (never another unit's project)."""
    return (
        Project.objects.filter(
            region=region, year=year, unit=unit, name=name.strip(), target__isnull=True
        )
        .order_by("number")
        .first()
    )


@transaction.atomic
def target_create(
    *,
    user,
    region,
    year: int,
    unit,
    scope: str,
    project_name: str = "",
    project_code: str = "",
    implementing_unit: str = "",
    attribute: str = "",
    evaluation=None,
    tree: list[Node] | None = None,
    **version_fields,
) -> PerformanceTarget:
    """File a new target with its first version (a draft) on the region's framework."""
    if not policies.can_create_target(user, region=region, unit=unit):
        raise PermissionDenied
    if unit.region_id != region.pk:
        raise WorkflowError(f"{unit}不属于{region.name}")
    if scope == PerformanceTarget.Scope.PROJECT and not project_name.strip():
        raise WorkflowError("项目绩效目标须填写项目名称")
    if scope == PerformanceTarget.Scope.UNIT:
        project_name = ""
    if evaluation is not None:
        if not policies.in_scope(user, evaluation):
            raise PermissionDenied
        if (evaluation.region_id, evaluation.year, evaluation.unit_id) != (
            region.pk,
            year,
            unit.pk,
        ):
            raise WorkflowError("重点项目评价须与目标属于同一单位、区划和年度")
    duplicate = PerformanceTarget.objects.filter(region=region, year=year, unit=unit, scope=scope)
    if duplicate.filter(project_name=project_name.strip()).exists():
        raise WorkflowError(f"{unit} {year}年已有该绩效目标")
    framework = _framework(region, year)
    if evaluation is None and scope == PerformanceTarget.Scope.PROJECT:
        evaluation = key_project_named(region=region, year=year, unit=unit, name=project_name)
    target = PerformanceTarget.objects.create(
        region=region,
        year=year,
        unit=unit,
        scope=scope,
        project_name=project_name.strip(),
        project_code=project_code.strip(),
        implementing_unit=implementing_unit.strip(),
        attribute=attribute,
        evaluation=evaluation,
    )
    version = TargetVersion.objects.create(
        target=target,
        number=1,
        framework=framework,
        created_by=user if user is not None and user.is_authenticated else None,
        **{name: version_fields[name] for name in VERSION_FIELDS if name in version_fields},
    )
    write_tree(version, tree if tree is not None else starting_tree(framework))
    record_event(version, action="target_create", from_state="", to_state=version.state, user=user)
    return target


@transaction.atomic
def target_version_update(
    *,
    version: TargetVersion,
    user,
    changes: dict,
    tree: list[Node] | None = None,
    revision=None,
    importing=False,
) -> TargetVersion:
    """Change a version's goal, funds or indicators while it is the department's turn."""
    current = locked_row(version)
    editable_or_refuse(user, current, importing=importing)
    check_revision(current, revision)
    refuse_other_fields(changes, VERSION_FIELDS)
    for name, value in changes.items():
        setattr(current, name, value)
    clean_or_refuse(current, exclude=["target", "framework"])
    current.revision += 1
    current.save()
    if tree is not None:
        write_tree(current, tree)
    return current


@transaction.atomic
def target_submit(*, version: TargetVersion, user, revision=None) -> TargetVersion:
    """Submit a version for the bureau's review; refuse one whose tree does not add up."""
    return filing_transition(
        kind="target",
        filing=version,
        user=user,
        name="submit",
        revision=revision,
        ready=version_problems,
    )


def _gate(version: TargetVersion) -> list[str]:
    """The ex-ante gate (evaluations.ex_ante): no approved target for a project that needs
    a passing assessment and has none."""
    problem = gate_problem(version.target, version=version)
    return [problem] if problem else []


@transaction.atomic
def target_review(
    *, version: TargetVersion, user, grade: str, comment: str = "", revision=None
) -> TargetVersion:
    """Record the bureau's review grade and act on it: 优/良 approve, 中 return for revision,
    差 refuse (the target may not enter the budget)."""
    name = TARGET_REVIEW.get(grade)
    if name is None:
        raise WorkflowError(f"审核等级须为优、良、中、差之一，不是“{grade}”")
    current = filing_transition(
        kind="target",
        filing=version,
        user=user,
        name=name,
        comment=comment,
        revision=revision,
        ready=_gate if name == "approve" else None,
    )
    current.review_grade = grade
    # The quality of what was filed, before any return (evaluations.assessment rule 2).
    current.first_review_grade = current.first_review_grade or grade
    current.review_comment = (comment or "").strip()
    if name == "approve":
        current.approved_at = timezone.now()
        target = locked_row(current.target)
        if target.approved_version_id:
            TargetVersion.objects.filter(pk=target.approved_version_id).update(
                state=FilingState.SUPERSEDED
            )
        target.approved_version = current
        target.save(update_fields=["approved_version"])
    current.save()
    return current


@transaction.atomic
def target_adjust(*, target: PerformanceTarget, user, reason: str) -> TargetVersion:
    """Open an adjustment of the approved version: a new draft version with the reason.

    The approved version stays in force until the adjustment is approved in its turn.
    """
    current = locked_row(target)
    if not (policies.target_in_scope(user, current) and policies.acts_as(user, Role.DEPARTMENT)):
        raise PermissionDenied
    if not policies.can_adjust_target(user, current):
        raise WorkflowError("只有已批复的绩效目标可以调整")
    if not (reason or "").strip():
        raise WorkflowError("调整绩效目标必须填写调整原因")
    pending = current.versions.filter(
        state__in=(FilingState.DRAFT, FilingState.SUBMITTED, FilingState.RETURNED)
    ).first()
    if pending is not None:
        raise WorkflowError(f"第{pending.number}版尚在办理中（{pending.get_state_display()}）")
    approved = current.approved_version
    number = current.versions.order_by("-number").values_list("number", flat=True).first() + 1
    version = TargetVersion.objects.create(
        target=current,
        number=number,
        framework=approved.framework,
        reason=reason.strip(),
        created_by=user if user is not None and user.is_authenticated else None,
        **{name: getattr(approved, name) for name in VERSION_FIELDS},
    )
    write_tree(version, version_tree(approved))
    record_event(
        version,
        action="target_adjust",
        from_state=FilingState.APPROVED,
        to_state=FilingState.DRAFT,
        user=user,
        comment=reason.strip(),
    )
    return version
