from decimal import Decimal

import pytest

from evaluations.models import Firm, Unit, UnitEvaluation
from tests.conftest import UNITS_XLSX
from tests.sheets import unit_sheet

from .helpers import import_units

FIRM = "贵州诚隆会计师事务所有限公司"


def test_it_imports_the_2021_unit_table_with_firm_blocks_from_merged_cells(huaxi):
    outcome = import_units(huaxi, UNITS_XLSX.read_bytes())

    assert outcome.ok, outcome.errors
    assert outcome.counts["新增"] == 67
    assert Firm.objects.count() == 5
    assert list(
        UnitEvaluation.objects.filter(firm__name="北京信府科技有限责任公司")
        .order_by("unit__name")
        .values_list("unit__name", "score")
    ) == [
        ("中共贵阳市花溪区委党史研究室", Decimal("85.41")),
        ("中共贵阳市花溪区委党校", Decimal("80.20")),
        ("贵阳市花溪区教育局", Decimal("83.21")),
    ]


def test_it_classifies_the_67_units_as_54_departments_9_townships_4_subdistricts(huaxi):
    import_units(huaxi, UNITS_XLSX.read_bytes())

    kinds = {
        kind: Unit.objects.filter(kind=kind).count()
        for kind in Unit.objects.values_list("kind", flat=True)
    }
    assert kinds == {"department": 54, "township": 9, "subdistrict": 4}
    assert Unit.objects.get(name="贵阳市花溪区高坡苗族乡人民政府").kind == "township"
    assert Unit.objects.get(name="贵阳市花溪区清溪街道办事处").kind == "subdistrict"


def test_a_blank_firm_cell_continues_the_firm_above_when_cells_are_not_merged(huaxi):
    data = unit_sheet([[FIRM, "甲局", 90, "优"], [None, "乙局", 85.5, "良"]])

    assert import_units(huaxi, data).ok
    assert set(UnitEvaluation.objects.values_list("firm__name", flat=True)) == {FIRM}


def test_it_reads_text_numbers_full_width_spaces_and_skips_blank_trailing_rows(huaxi):
    data = unit_sheet(
        [
            ["\u3000" + FIRM + " ", " 贵阳市花溪区\u3000教育局 ", " ８５.４１ ", " 良 "],
            [None, None, None, None],
            ["", "  ", None, None],
        ]
    )

    outcome = import_units(huaxi, data)

    assert outcome.ok, outcome.errors
    evaluation = UnitEvaluation.objects.get()
    assert (evaluation.unit.name, evaluation.firm.name) == ("贵阳市花溪区教育局", FIRM)
    assert evaluation.score == Decimal("85.41")


def test_it_finds_the_header_below_several_title_rows_in_any_column_order(huaxi):
    data = unit_sheet(
        [["良", 85, "甲局", FIRM]],
        title="附件1",
        header=["等级", "得分", "被评单位", "评价机构"],
    )
    data_with_more_titles = unit_sheet(
        [
            ["花溪区"],
            ["单位：分"],
            ["等级", "得分", "被评单位", "评价机构"],
            ["良", 85, "甲局", FIRM],
        ],
        header=None,
    )

    assert import_units(huaxi, data).ok
    assert import_units(huaxi, data_with_more_titles).counts["未变"] == 1


def test_the_grade_is_derived_when_the_file_leaves_it_blank(huaxi):
    assert import_units(huaxi, unit_sheet([[FIRM, "甲局", 90, None]])).ok

    assert UnitEvaluation.objects.get().grade == "优"


def test_a_stated_kind_column_overrides_the_name_rule(huaxi):
    data = unit_sheet(
        [[FIRM, "花溪区某管委会", 88, "良", "街道"]],
        header=["评价机构", "被评单位", "得分", "等级", "单位类型"],
    )

    assert import_units(huaxi, data).ok
    assert Unit.objects.get().kind == "subdistrict"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ([FIRM, "甲局", 85, "优"], "D列「等级」", "等级“优”与得分 85.00 不符，应为“良”"),
        ([FIRM, "甲局", "八十五", "良"], "C列「得分」", "“八十五”不是数字"),
        ([FIRM, None, 85, "良"], "B列「被评单位」", "不能为空"),
        ([FIRM, "甲局", 100.5, "优"], "C列「得分」", "超出 0–100 的范围"),
        ([FIRM, "甲局", 85.415, "良"], "C列「得分」", "超过两位小数"),
        ([FIRM, "甲局", 85, "好"], "D列「等级」", "不是等级"),
    ],
)
def test_a_bad_cell_is_refused_with_its_file_row_and_column_and_nothing_is_written(
    huaxi, row, column, message
):
    data = unit_sheet([[FIRM, "乙局", 90, "优"], row])

    outcome = import_units(huaxi, data, file_name="2021单位.xlsx")

    assert not outcome.ok
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith(f"2021单位.xlsx 第4行 {column}：")
    assert message in outcome.errors[0]
    assert not UnitEvaluation.objects.exists()
    assert not Unit.objects.exists() and not Firm.objects.exists()


def test_a_duplicated_unit_is_a_row_error_naming_the_first_occurrence(huaxi):
    data = unit_sheet(
        [[FIRM, "甲局", 90, "优"], [None, "乙局", 88, "良"], [None, "甲局", 90, "优"]]
    )

    outcome = import_units(huaxi, data)

    assert outcome.errors == ["units.xlsx 第5行 B列「被评单位」：“甲局”与第3行重复"]
    assert not UnitEvaluation.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(huaxi):
    data = unit_sheet(
        [
            [FIRM, "甲局", "x", "良"],
            [None, "乙局", 88, "良"],
            [None, None, 70, "中"],
            [None, "丙局", 101, "优"],
        ]
    )

    outcome = import_units(huaxi, data)

    rows = sorted(message.split(" ")[1] for message in outcome.errors)
    assert rows == ["第3行", "第5行", "第6行"]


def test_reimporting_the_same_file_changes_nothing(huaxi):
    import_units(huaxi, UNITS_XLSX.read_bytes())
    before = list(UnitEvaluation.objects.order_by("pk").values())

    outcome = import_units(huaxi, UNITS_XLSX.read_bytes())

    assert outcome.counts == {"新增": 0, "修改": 0, "未变": 67, "删除": 0}
    assert list(UnitEvaluation.objects.order_by("pk").values()) == before
    assert Unit.objects.count() == 67 and Firm.objects.count() == 5


def test_a_file_with_one_bad_row_among_good_ones_rolls_back_every_change(huaxi):
    import_units(huaxi, unit_sheet([[FIRM, "甲局", 90, "优"], [None, "乙局", 88, "良"]]))
    before = list(UnitEvaluation.objects.order_by("pk").values())

    outcome = import_units(
        huaxi,
        unit_sheet(
            [["另一家事务所", "甲局", 70, "中"], [None, "丁局", 91, "优"], [None, "乙局", 88, "优"]]
        ),
    )

    assert len(outcome.errors) == 1 and "第5行" in outcome.errors[0]
    assert list(UnitEvaluation.objects.order_by("pk").values()) == before
    assert not Unit.objects.filter(name="丁局").exists()
    assert not Firm.objects.filter(name="另一家事务所").exists()


def test_a_changed_score_is_reported_as_changed_and_regraded(huaxi):
    import_units(huaxi, unit_sheet([[FIRM, "甲局", 90, "优"]]))

    outcome = import_units(huaxi, unit_sheet([[FIRM, "甲局", 89.99, "良"]]))

    assert outcome.counts["修改"] == 1
    evaluation = UnitEvaluation.objects.get()
    assert (evaluation.score, evaluation.grade) == (Decimal("89.99"), "良")


def test_the_same_unit_keeps_its_identity_across_years(huaxi):
    import_units(huaxi, unit_sheet([[FIRM, "甲局", 90, "优"]]), year=2021)
    import_units(huaxi, unit_sheet([[FIRM, "甲局", 80, "良"]]), year=2022)

    assert Unit.objects.count() == 1
    assert UnitEvaluation.objects.filter(unit__name="甲局").count() == 2


def test_a_dry_run_reports_but_writes_nothing(huaxi):
    outcome = import_units(huaxi, UNITS_XLSX.read_bytes(), dry_run=True)

    assert outcome.ok and outcome.counts["新增"] == 67
    assert not UnitEvaluation.objects.exists()
