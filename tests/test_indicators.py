from decimal import Decimal as D

import pytest

from evaluations.indicators import Node, parse_value, split_points_label, tree_problems


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("产出指标(50分)", ("产出指标", D(50))),
        ("效益指标（30分）", ("效益指标", D(30))),
        ("满意度指标 （ 10 分 ）", ("满意度指标", D(10))),
        ("预算执行情况(10)", ("预算执行情况", D(10))),
        ("数量指标", ("数量指标", None)),
    ],
)
def test_points_written_inside_labels_are_read(label, expected):
    assert split_points_label(label) == expected


@pytest.mark.parametrize(
    ("raw", "operator", "number", "unit"),
    [
        ("≥95%", "≥", D(95), "%"),
        (">=95%", "≥", D(95), "%"),
        ("≤200万元", "≤", D(200), "万元"),
        ("不低于 90 %", "≥", D(90), "%"),
        ("100.00%", "", D("100.00"), "%"),
        ("1,200个", "", D(1200), "个"),
        ("＝12次", "=", D(12), "次"),
        (12, "", D(12), ""),
        ("按月安排", "", None, ""),
    ],
)
def test_values_are_split_into_operator_number_and_unit(raw, operator, number, unit):
    value = parse_value(raw)
    assert (value.operator, value.number, value.unit) == (operator, number, unit)


@pytest.mark.parametrize("raw", [None, "", "  ", "/", "／", "—"])
def test_blank_and_slash_mean_no_value(raw):
    assert parse_value(raw) is None


def test_a_tree_that_adds_up_has_no_problems():
    roots = [
        Node(
            "产出指标",
            1,
            D(50),
            [Node("数量指标", 2, D(50), [Node("a", 3, D(20)), Node("b", 3, D(30))])],
        ),
        Node("效益指标", 1, D(40), [Node("社会效益指标", 2, D(40), [Node("c", 3, D(40))])]),
    ]
    assert tree_problems(roots, total=D(90)) == []


def test_every_level_that_does_not_add_up_is_named():
    roots = [
        Node(
            "产出指标",
            1,
            D(50),
            [Node("数量指标", 2, D(30), [Node("a", 3, D(20)), Node("b", 3, None)])],
        ),
    ]
    assert tree_problems(roots, total=D(90)) == [
        "“产出指标”为 50 分，其下级指标合计 30 分，两者应相等",
        "“产出指标” › “数量指标” › “b”没有分值",
        "一级指标合计 50 分，应为 90 分",
    ]
