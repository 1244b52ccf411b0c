from decimal import Decimal

from django.db.models import Sum

from evaluations.models import FundingLine, Project
from tests.conftest import PROJECTS_XLSX
from tests.sheets import PROJECT_HEADER, project_sheet

from .helpers import import_projects


def lines(number):
    return list(
        FundingLine.objects.filter(project__number=number)
        .order_by("position")
        .values_list("label", "amount", "self_score")
    )


def test_it_imports_the_2021_project_table_as_29_projects_in_35_lines(huaxi):
    outcome = import_projects(huaxi, PROJECTS_XLSX.read_bytes())

    assert outcome.ok, outcome.errors
    assert Project.objects.count() == 29
    assert FundingLine.objects.count() == 35
    assert FundingLine.objects.aggregate(total=Sum("amount"))["total"].quantize(
        Decimal("0.000001")
    ) == Decimal("9298.222760")


def test_merged_project_cells_make_one_project_with_several_funding_lines(huaxi):
    import_projects(huaxi, PROJECTS_XLSX.read_bytes())

    kindergarten = Project.objects.get(number=5)
    assert kindergarten.name == "幼儿园公办率及普惠率达标经费"
    assert (kindergarten.score, kindergarten.grade) == (Decimal("91.13"), "优")
    assert lines(5) == [
        ("幼儿园公办率及普惠率达标经费", Decimal("476.604"), Decimal("99.90")),
        ("幼儿园公办率及普惠率达标经费（经开区）", Decimal("556.892"), Decimal("99.25")),
    ]
    assert sum(amount for _, amount, _ in lines(5)) == Decimal("1033.496")
    assert sum(amount for _, amount, _ in lines(7)) == Decimal("140.08")
    assert [label for label, _, _ in lines(24)][:2] == ["巩固脱贫攻坚衔接乡村振兴项目管理费"] * 2
    assert len(lines(24)) == 4


def test_floats_are_read_without_binary_noise(huaxi):
    import_projects(huaxi, PROJECTS_XLSX.read_bytes())

    amount = FundingLine.objects.get(project__number=15).amount
    assert str(amount.normalize()) == "98.86676"


def test_a_blank_name_continues_the_line_above_and_repeated_numbers_group_lines(huaxi):
    data = project_sheet(
        [
            [13, "融媒体建设", 80.64, 91, 95, "优"],
            [None, None, 95, 91, None, None],
            [5, "幼儿园经费", 476.604, 99.9, 91.13, "优"],
            [5, "幼儿园经费（经开区）", "556.892", "99.25", 91.13, "优"],
        ]
    )

    outcome = import_projects(huaxi, data)

    assert outcome.ok, outcome.errors
    assert lines(13) == [
        ("融媒体建设", Decimal("80.64"), Decimal("91")),
        ("融媒体建设", Decimal("95"), Decimal("91")),
    ]
    assert [label for label, _, _ in lines(5)] == ["幼儿园经费", "幼儿园经费（经开区）"]


def test_a_continuation_line_may_not_contradict_the_projects_third_party_score(huaxi):
    data = project_sheet(
        [[7, "残疾儿童康复", 60.08, 97, 95.74, "优"], [None, "（经开区）", 80, 95, 88, "良"]]
    )

    outcome = import_projects(huaxi, data)

    assert any(
        message.startswith(
            "projects.xlsx 第4行 E列「第三方机构评分（分）」：同一项目（序号 7）只有一个"
        )
        for message in outcome.errors
    ), outcome.errors
    assert not Project.objects.exists()


def test_a_number_used_by_two_separate_projects_is_refused(huaxi):
    data = project_sheet(
        [
            [1, "甲项目", 10, 90, 90, "优"],
            [2, "乙项目", 10, 90, 90, "优"],
            [1, "丙项目", 10, 90, 90, "优"],
        ]
    )

    outcome = import_projects(huaxi, data)

    assert outcome.errors == ["projects.xlsx 第5行 A列「序号」：序号 1 与第3行的项目重复"]


def test_an_amount_finer_than_six_decimals_or_negative_is_refused(huaxi):
    data = project_sheet(
        [[1, "甲项目", "10.1234567", 90, 90, "优"], [2, "乙项目", -5, 90, 90, "优"]]
    )

    outcome = import_projects(huaxi, data)

    assert len(outcome.errors) == 2
    assert "第3行 C列「年度项目资金（万元）」：金额 10.1234567 超过六位小数" in outcome.errors[0]
    assert "第4行 C列「年度项目资金（万元）」：金额 -5 不能为负数" in outcome.errors[1]


def test_a_grade_contradicting_the_project_score_is_a_row_error(huaxi):
    outcome = import_projects(huaxi, project_sheet([[1, "甲项目", 10, 90, 89.99, "优"]]))

    assert outcome.errors == [
        "projects.xlsx 第3行 F列「等级」：等级“优”与得分 89.99 不符，应为“良”"
    ]


def test_a_matching_total_row_is_checked_and_not_imported(huaxi):
    data = project_sheet(
        [
            [1, "甲项目", 10.5, 90, 90, "优"],
            [2, "乙项目", 20, 90, 85, "良"],
            ["合计", None, 30.5, None, None, None],
        ]
    )

    outcome = import_projects(huaxi, data)

    assert outcome.ok, outcome.errors
    assert Project.objects.count() == 2


def test_a_total_row_that_disagrees_with_the_lines_is_refused(huaxi):
    data = project_sheet(
        [[1, "甲项目", 9298.22276, 90, 90, "优"], ["合计", None, 9299, None, None, None]]
    )

    outcome = import_projects(huaxi, data)

    assert outcome.errors == [
        "projects.xlsx 第4行 C列「年度项目资金（万元）」：合计 9299 与各行资金之和 9298.22276 不符"
    ]


def test_reimporting_the_same_file_changes_nothing(huaxi):
    import_projects(huaxi, PROJECTS_XLSX.read_bytes())
    before = (
        list(Project.objects.order_by("pk").values()),
        list(FundingLine.objects.order_by("pk").values()),
    )

    outcome = import_projects(huaxi, PROJECTS_XLSX.read_bytes())

    assert outcome.counts == {"新增": 0, "修改": 0, "未变": 35, "删除": 0}
    after = (
        list(Project.objects.order_by("pk").values()),
        list(FundingLine.objects.order_by("pk").values()),
    )
    assert after == before


def test_a_project_reimported_with_fewer_lines_loses_the_surplus_line_visibly(huaxi):
    import_projects(
        huaxi,
        project_sheet(
            [[7, "残疾儿童", 60.08, 97, 95.74, "优"], [None, "（经开区）", 80, 95, None, None]]
        ),
    )

    outcome = import_projects(huaxi, project_sheet([[7, "残疾儿童", 140.08, 96, 95.74, "优"]]))

    assert outcome.counts == {"新增": 0, "修改": 1, "未变": 0, "删除": 1}
    assert lines(7) == [("残疾儿童", Decimal("140.08"), Decimal("96"))]


def test_a_changed_third_party_score_updates_the_project_once(huaxi):
    import_projects(huaxi, PROJECTS_XLSX.read_bytes())
    data = project_sheet(
        [
            [5, "幼儿园公办率及普惠率达标经费", 476.604, 99.9, 89.5, "良"],
            [None, "幼儿园公办率及普惠率达标经费（经开区）", 556.892, 99.25, None, None],
        ]
    )

    outcome = import_projects(huaxi, data)

    assert outcome.counts == {"新增": 0, "修改": 1, "未变": 1, "删除": 0}
    assert Project.objects.get(number=5).grade == "良"


def test_a_bad_line_rolls_back_the_whole_file(huaxi):
    import_projects(huaxi, PROJECTS_XLSX.read_bytes())
    data = project_sheet([[1, "新名称", 1, 90, 90, "优"], [2, "乙项目", "abc", 90, 90, "优"]])

    outcome = import_projects(huaxi, data)

    assert len(outcome.errors) == 1
    assert Project.objects.get(number=1).name == "区、乡两级人民代表大会换届选举工作经费"


def test_a_stated_project_total_is_checked_against_its_lines(huaxi):
    header = [*PROJECT_HEADER, "项目资金合计（万元）"]
    good = project_sheet(
        [
            [5, "幼儿园", 476.604, 99.9, 91.13, "优", 1033.496],
            [5, "（经开区）", 556.892, 99.25, 91.13, "优", 1033.496],
        ],
        header=header,
    )
    bad = project_sheet([[5, "幼儿园", 476.604, 99.9, 91.13, "优", 1033.5]], header=header)

    assert import_projects(huaxi, good).ok
    assert import_projects(huaxi, bad).errors == [
        "projects.xlsx 第3行 G列「项目资金合计（万元）」："
        "项目资金合计 1033.5 与该项目各行资金之和 476.604 不符"
    ]
