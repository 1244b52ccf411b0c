from decimal import Decimal

from evaluations.documents import Kind
from evaluations.indicators import Direction
from evaluations.layouts import read_documents

from . import target, xlsx


def read(workbook):
    [document] = read_documents(xlsx(workbook), file_name="申报.xlsx")
    return document


def test_the_target_table_is_told_by_its_title():
    document = read(target())

    assert (document.kind, document.year) == (Kind.TARGET, 2022)
    assert (document.project_name, document.department) == ("城区公厕改造", "区城管局")


def test_the_ticked_box_gives_the_project_attribute():
    assert read(target()).attribute == "新增"


def test_funds_written_as_label_and_amount_pairs_are_read_as_budgets():
    document = read(target())

    assert [(fund.label, fund.initial_budget) for fund in document.funds] == [
        ("年度资金总额", Decimal(80)),
        ("财政拨款", Decimal(70)),
        ("其他资金", Decimal(10)),
    ]


def test_long_term_and_annual_goals_are_read():
    document = read(target())

    assert (document.long_term_goal, document.overall_goal) == (
        "改善城区如厕环境",
        "新建改造公厕10座",
    )


def test_indicators_carry_points_and_the_operator_of_their_value():
    document = read(target())

    built, accepted, relief, satisfaction = document.indicators
    assert (built.level1, built.level1_points, built.points) == (
        "产出指标",
        Decimal(60),
        Decimal(30),
    )
    assert built.direction == Direction.POSITIVE
    # "=100%" typed into a program-written file is a formula Excel never computed.
    assert (accepted.target_text, accepted.target.operator) == ("=100%", "=")
    assert accepted.level1 == "产出指标"
    assert relief.quantitative is False


def test_a_slash_target_is_no_target_and_not_applicable():
    satisfaction = read(target()).indicators[-1]

    assert satisfaction.target is None
    assert satisfaction.applicable is False
    assert satisfaction.points == Decimal(10)
