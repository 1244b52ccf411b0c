import dataclasses
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluations.documents import Cell, Document, FundRow, IndicatorRow, Kind
from evaluations.indicators import Direction, Likelihood, parse_value
from evaluations.layouts import read_documents, write_document, write_documents

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "layouts"
HERE = Cell("原表", 1)
WHERE = ("cell", "cells", "sheet", "file_name")


def content(document):
    """Return what a document says, without where it was read."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in WHERE}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return strip(dataclasses.asdict(document))


def round_trip(document):
    [back] = read_documents(write_document(document), file_name="导出.xlsx")
    return back


def row(level1, level2, name, target, *, level1_points=None, level2_points=None, **values):
    actual = values.pop("actual", "")
    target_value = parse_value(target)
    actual_value = parse_value(actual)
    defaults = {
        "quantitative": (target_value or actual_value).quantitative
        if (target_value or actual_value)
        else None,
        "direction": {"≥": Direction.POSITIVE, "≤": Direction.NEGATIVE}.get(
            target_value.operator if target_value else "", ""
        ),
        "applicable": "/" not in (target, actual),
    }
    return IndicatorRow(
        cell=HERE,
        level1=level1,
        level2=level2,
        name=name,
        level1_points=level1_points,
        level2_points=level2_points,
        target=target_value,
        target_text=target,
        actual=actual_value,
        actual_text=actual,
        **{**defaults, **values},
    )


def fund(label, **amounts):
    return FundRow(label=label, cell=HERE, **{k: Decimal(v) for k, v in amounts.items()})


def self_evaluation():
    output, benefit = ("产出指标", Decimal(50)), ("效益指标", Decimal(30))
    return Document(
        kind=Kind.SELF_EVALUATION,
        file_name="原表.xlsx",
        sheet="原表",
        year=2021,
        project_name="农村公路养护工程",
        department="区交通运输局",
        implementing_unit="区公路管理站",
        overall_goal="完成养护100公里\n路况优良率90%",
        goal_actual="完成养护98公里",
        funds=[
            fund(
                "年度资金总额",
                initial_budget="120",
                full_year_budget="135.5",
                spent="125.2",
                adjusted_budget="98765432109.123456",
                points="10",
                rate="92.4",
                score="9.24",
            ),
            fund("当年财政拨款", initial_budget="100", full_year_budget="115.5", spent="105.2"),
            fund("其他资金"),
        ],
        indicators=[
            row(
                *output[:1],
                "数量指标",
                "养护里程",
                "≥100公里",
                level1_points=output[1],
                level2_points=Decimal(20),
                actual="98公里",
                points=Decimal(20),
                score=Decimal("19.6"),
                reason="雨季停工",
                core=True,
            ),
            row(
                *output[:1],
                "质量指标",
                "验收合格率",
                "=100%",
                level1_points=output[1],
                actual="100.00%",
                points=Decimal(20),
                score=Decimal(20),
                unit_of_measure="%",
                scoring_rule="每低1%扣1分",
            ),
            row(
                *output[:1],
                "",
                "资金拨付",
                "按月拨付",
                level1_points=output[1],
                actual="按月拨付",
                points=Decimal(10),
                score=Decimal(10),
            ),
            row(
                *benefit[:1],
                "社会效益指标",
                "事故率",
                "5",
                level1_points=benefit[1],
                actual="3",
                points=Decimal(15),
                score=Decimal(15),
                direction=Direction.NEGATIVE,
                quantitative=True,
            ),
            row(
                *benefit[:1],
                "可持续影响指标",
                "养护机制",
                "长期",
                level1_points=benefit[1],
                actual="/",
                points=Decimal(15),
                reason="=见附件说明",
            ),
            row(
                "满意度指标",
                "服务对象满意度指标",
                "群众满意度",
                "≥90%",
                level1_points=Decimal(10),
                actual="95.5%",
                points=Decimal(10),
                score=Decimal(10),
                quantitative=False,
            ),
        ],
        execution_points=Decimal(10),
        execution_score=Decimal("9.24"),
        total=Decimal("83.84"),
        conclusion="总体完成",
        problems="+雨季影响",
        measures="提前安排工期",
    )


def monitoring():
    return Document(
        kind=Kind.MONITORING,
        file_name="原表.xlsx",
        sheet="原表",
        year=2022,
        end_month=7,
        project_name="职业技能培训补贴",
        department="区人社局",
        implementing_unit="区就业服务中心",
        attribute="新增",
        overall_goal="培训500人次",
        goal_actual="已培训230人次",
        funds=[
            fund("年度资金总额", initial_budget="50", spent="20.5", expected_spent="48", rate="41"),
            fund("当年一般公共预算拨款", initial_budget="50", spent="20.5", expected_spent="48"),
        ],
        indicators=[
            row(
                "产出指标",
                "数量指标",
                "培训人次",
                "≥500人次",
                progress="230人次",
                expected="520人次",
                likelihood=Likelihood.CERTAIN,
            ),
            row(
                "产出指标",
                "数量指标",
                "培训覆盖率",
                "≥90%",
                progress="45%",
                expected="85%",
                likelihood=Likelihood.POSSIBLE,
                cause="报名集中在下半年",
                measure="加强宣传",
            ),
            row(
                "满意度指标",
                "服务对象满意度指标",
                "学员满意度",
                "≥85%",
                likelihood=Likelihood.IMPOSSIBLE,
                cause="课程安排不合理",
                measure="调整课程",
            ),
        ],
        cause="部分培训推迟到下半年",
        measure="按季度通报培训进度",
    )


def target():
    return Document(
        kind=Kind.TARGET,
        file_name="原表.xlsx",
        sheet="原表",
        year=2023,
        project_name="城区公厕改造",
        project_code="520111230000000000001",
        department="区城管局",
        implementing_unit="区环卫站",
        attribute="延续",
        long_term_goal="改善城区如厕环境",
        overall_goal="新建改造公厕10座",
        funds=[
            fund("年度资金总额", initial_budget="80"),
            fund("财政拨款", initial_budget="70"),
            fund("其他资金", initial_budget="10"),
        ],
        indicators=[
            row(
                "产出指标",
                "数量指标",
                "新建公厕",
                "≥10座",
                level1_points=Decimal(60),
                points=Decimal(60),
            ),
            row(
                "满意度指标",
                "服务对象满意度指标",
                "周边群众满意度",
                "/",
                level1_points=Decimal(30),
                points=Decimal(30),
            ),
        ],
        total=Decimal(90),
    )


@pytest.mark.parametrize("build", [self_evaluation, monitoring, target], ids=lambda b: b.__name__)
def test_a_written_document_reads_back_the_same(build):
    document = build()

    assert content(round_trip(document)) == content(document)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.xlsx")), ids=lambda p: p.stem)
def test_a_fixture_written_in_the_standard_layout_reads_back_the_same(path):
    [document] = read_documents(path.read_bytes(), file_name=path.name)

    assert content(round_trip(document)) == content(document)


def written(document):
    [back] = read_documents(data := write_document(document), file_name="导出.xlsx")
    return back, load_workbook(io.BytesIO(data)).worksheets[0]


def test_level1_and_level2_labels_are_merged_down_their_rows_with_their_points():
    back, worksheet = written(self_evaluation())

    first = back.indicators[0].cells["level1"]
    assert worksheet[f"{first.column}{first.row}"].value == "产出指标(50分)"
    assert f"B{first.row}:B{first.row + 2}" in worksheet.merged_cells
    assert worksheet[f"C{first.row}"].value == "数量指标(20分)"
    assert worksheet[f"C{first.row + 2}"].value == "/"  # no 二级, not "same as above"


def test_numbers_are_numeric_cells_with_formats_and_inexact_ones_stay_exact_text():
    back, worksheet = written(self_evaluation())

    total = back.cells["total"]
    cell = worksheet[f"{total.column}{total.row}"]
    assert (cell.value, cell.number_format) == (83.84, "0.00")
    total_row = back.funds[0].cell.row
    headers = {cell.value: cell.column_letter for cell in worksheet[total_row - 1]}
    rate = worksheet[f"{headers['执行率']}{total_row}"]
    assert (rate.value, rate.number_format) == (0.924, "0.00%")
    assert back.funds[0].adjusted_budget == Decimal("98765432109.123456")
    assert "98765432109.123456" in [c.value for c in worksheet[back.funds[0].cell.row]]


def test_text_that_would_start_a_formula_is_written_as_quoted_text():
    back, worksheet = written(self_evaluation())

    reason = back.indicators[4].cells["reason"]
    cell = worksheet[f"{reason.column}{reason.row}"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=见附件说明", "s", True)
    assert back.problems == "+雨季影响"


def test_columns_the_standard_layout_lacks_are_added_only_when_needed():
    _, worksheet = written(self_evaluation())
    headers = {cell.value for row in worksheet.iter_rows() for cell in row}

    assert {"度量单位", "指标方向", "指标性质", "评（扣）分标准", "调整后预算数"} <= headers
    _, plain = written(target())
    assert "度量单位" not in {cell.value for row in plain.iter_rows() for cell in row}


def test_each_document_gets_its_own_uniquely_named_sheet():
    long_name = self_evaluation()
    long_name.project_name = "某某区" * 12 + "/项目"
    documents = [long_name, dataclasses.replace(long_name), monitoring(), target()]

    data = write_documents(documents)

    names = load_workbook(io.BytesIO(data)).sheetnames
    assert len(set(names)) == 4 and all(len(name) <= 31 for name in names)
    assert names[1].endswith("(2)")
    back = read_documents(data, file_name="导出.xlsx")
    assert [content(d) for d in back] == [content(d) for d in documents]
