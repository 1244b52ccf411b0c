"""Reads of frameworks and targets: which template applies, trees, coverage figures."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from ..decimals import stored_amount
from ..indicators import Node
from ..models import Framework, IndicatorNode, PerformanceTarget, Region, TargetVersion
from ..workflow import FilingState
from .scopes import most_specific

LEAF_ATTRS = (
    "operator",
    "target_value",
    "target_number",
    "unit_of_measure",
    "quantitative",
    "direction",
    "scoring_rule",
    "explanation",
    "core",
    "common",
)


def framework_for(*, purpose: str, region: Region, year: int) -> Framework | None:
    """Return the template that applies (scopes.most_specific) for the purpose."""
    return most_specific(Framework.objects.filter(purpose=purpose), region=region, year=year)


def tree(nodes) -> list[Node]:
    """Return the roots of the tree the IndicatorNode rows form (children by position)."""
    by_id = {}
    for row in sorted(nodes, key=lambda n: (n.level, n.position, n.pk)):
        attrs = {name: getattr(row, name) for name in LEAF_ATTRS} if row.level == 3 else {}
        by_id[row.pk] = Node(row.name, row.level, row.points, attrs={**attrs, "row": row})
    roots = []
    for row in sorted(nodes, key=lambda n: (n.level, n.position, n.pk)):
        node = by_id[row.pk]
        parent = by_id.get(row.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def framework_tree(framework: Framework) -> list[Node]:
    return tree(list(framework.nodes.all()))


def version_tree(version: TargetVersion) -> list[Node]:
    return tree(list(version.indicators.all()))


def leaves(roots: list[Node]) -> list[Node]:
    """Return the 三级 indicators of a tree in table order."""
    found = []

    def walk(node):
        if node.level == 3:
            found.append(node)
        for child in node.children:
            walk(child)

    for root in roots:
        walk(root)
    return found


def version_leaves(version: TargetVersion) -> list[IndicatorNode]:
    """Return the version's 三级 indicator rows in table order (一级, 二级, own position)."""
    return [node.attrs["row"] for node in leaves(version_tree(version))]


def target_coverage(*, region: Region, year: int) -> dict:
    """Return the coverage figures of the report's section 一 from approved targets.

    departments: units with an approved overall (部门整体) target; projects: project
    targets with an approved version; funds: Σ 年度资金总额 of those projects' versions in
    force. All counted from records, as the report must be.
    """
    unit, project = Q(scope=PerformanceTarget.Scope.UNIT), Q(scope=PerformanceTarget.Scope.PROJECT)
    figures = PerformanceTarget.objects.filter(
        region=region, year=year, approved_version__isnull=False
    ).aggregate(
        departments=Count("unit", filter=unit, distinct=True),
        projects=Count("pk", filter=project),
        funds=Sum("approved_version__funds_total", filter=project),
    )
    figures["funds"] = stored_amount(figures["funds"]) or Decimal(0)
    return figures


def pending_versions(target: PerformanceTarget) -> QuerySet[TargetVersion]:
    """Return the versions of the target still being filed or reviewed."""
    return target.versions.filter(
        state__in=(FilingState.DRAFT, FilingState.SUBMITTED, FilingState.RETURNED)
    )
