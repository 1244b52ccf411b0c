"""Indicator trees as the admin shows them: 一级 › 二级 › 三级, each with its points."""

from django.utils.html import format_html, format_html_join

from ..decimals import exact

SEPARATOR = " › "


def points_text(points) -> str:
    return "未设分值" if points is None else f"{exact(points)}分"


def indicator_path(node) -> str:
    """Return "一级 › 二级 › 三级" of an IndicatorNode (its parents select_related)."""
    names = []
    while node is not None:
        names.append(node.name)
        node = node.parent
    return SEPARATOR.join(reversed(names))


def tree_html(roots) -> str:
    """Return the tree (indicators.Node roots) as nested lists, indented by level."""

    def items(nodes):
        return format_html_join(
            "",
            '<li class="level-{}">{}{}（{}）{}</li>',
            (
                (
                    node.level,
                    "★" if node.attrs.get("core") else "",
                    node.name,
                    points_text(node.points),
                    format_html("<ul>{}</ul>", items(node.children)) if node.children else "",
                )
                for node in nodes
            ),
        )

    if not roots:
        return "尚无指标"
    return format_html('<ul class="indicator-tree">{}</ul>', items(roots))


def sections(roots) -> list[dict]:
    """Return the tree in table order: each 一级 with its 二级, each 二级 with its 三级 rows.

    A row is the IndicatorNode a Node was read from (selectors.targets.tree).
    """
    return [
        {
            "first": first,
            "seconds": [
                {"second": second, "rows": [leaf.attrs["row"] for leaf in second.children]}
                for second in first.children
            ],
        }
        for first in roots
    ]


def leaf_paths(roots) -> list[tuple[str, object]]:
    """Return ("一级 › 二级 › 三级", row) of each 三级 of a tree, in table order."""
    found = []

    def walk(node, names):
        names = [*names, node.name]
        if node.level == 3:
            found.append((SEPARATOR.join(names), node.attrs["row"]))
        for child in node.children:
            walk(child, names)

    for root in roots:
        walk(root, [])
    return found
