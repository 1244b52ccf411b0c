"""The public page of a year's result application (结果应用): confirmed decisions on released
evaluations, their totals, the problems found and rectified; nothing unreleased."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from evaluations.models import (
    Action,
    BudgetDecision,
    FundingLine,
    Problem,
    Project,
    Unit,
    UnitEvaluation,
)
from evaluations.services.application import decision_confirm, decisions_propose
from evaluations.services.imports import region_ensure
from evaluations.workflow import Role, State

from .builders import add_projects, add_role_user, add_units
from .pages import page_text, table_rows, url

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2022


def project(region, number, name, score, state=State.RELEASED):
    created = Project.objects.create(
        region=region, year=YEAR, number=number, name=name, score=D(score), state=state
    )
    FundingLine.objects.create(
        project=created, position=1, label=name, amount=D("476.604"), self_score=D(90)
    )
    return created


def problem(region, evaluation, description, state=Problem.State.OPEN, **notes):
    unit = Unit.objects.get_or_create(region=region, name="花溪区教育局", kind="department")[0]
    return Problem.objects.create(
        region=region,
        year=YEAR,
        unit=unit,
        project=evaluation,
        source=Problem.Source.FIRM,
        description=description,
        state=state,
        **notes,
    )


@pytest.fixture
def decided(huaxi):
    """Three confirmed decisions on released evaluations, and what must not be shown:
    a confirmed decision on an approved (unreleased) project, a proposal not confirmed."""
    reviewer = add_role_user("reviewer", Role.REVIEWER)
    excellent = project(huaxi, 1, "学前教育提升项目", "95")
    fair = project(huaxi, 2, "农村公路养护项目", "70")
    unit = Unit.objects.create(region=huaxi, name="花溪区民政局", kind="department")
    UnitEvaluation.objects.create(
        region=huaxi, year=YEAR, unit=unit, score=D("85"), state=State.RELEASED
    )
    hidden = project(huaxi, 3, "未公开的项目", "50", state=State.APPROVED)
    project(huaxi, 4, "尚未确认的项目", "88")
    decisions_propose(region=huaxi, year=YEAR, user=reviewer)
    confirm = {
        excellent.pk: {"action": Action.PRIORITY, "next_year_amount": D(500)},
        fair.pk: {"action": Action.CUT},
        hidden.pk: {"action": Action.CANCEL},
    }
    for decision in BudgetDecision.objects.all():
        if decision.unit_evaluation_id:
            decision_confirm(decision=decision, user=reviewer, action=Action.KEEP)
        elif decision.project_id in confirm:
            decision_confirm(decision=decision, user=reviewer, **confirm[decision.project_id])
    problem(
        huaxi, excellent, "绩效目标不够细化", Problem.State.VERIFIED, verification="内部核实意见"
    )
    problem(
        huaxi,
        fair,
        "养护资金拨付滞后",
        measure="内部整改措施",
        report="内部整改情况",
        verification="内部退回意见",
    )
    problem(huaxi, hidden, "未公开评价的问题")
    return huaxi


def test_the_page_lists_the_confirmed_decisions_of_released_evaluations(client, decided):
    response = client.get(url("520111", YEAR, "application/"))

    assert response.status_code == 200
    # The decisions' table is the page's only one of nine columns.
    assert [row for row in table_rows(response) if len(row) == 9] == [
        ["部门整体", "花溪区民政局", "良", "85", "合理保障", "合理保障", "—", "—", "—"],
        [
            "重点项目",
            "学前教育提升项目",
            "优",
            "95",
            "优先保障",
            "优先保障",
            "476.604",
            "500",
            "+23.396",
        ],
        [
            "重点项目",
            "农村公路养护项目",
            "中",
            "70",
            "压减预算 10%",
            "压减预算 10%",
            "476.604",
            "428.9436",
            "-47.6604",
        ],
    ]


def test_nothing_unreleased_or_unconfirmed_leaks(client, decided):
    page = page_text(client.get(url("520111", YEAR, "application/")))
    download = client.get(url("520111", YEAR, "application/"), {"_export": "csv"})

    for text in ("未公开的项目", "尚未确认的项目", "未公开评价的问题", "取消或暂停 1"):
        assert text not in page
        assert text not in download.getvalue().decode("utf-8-sig")
    for note in ("内部整改措施", "内部整改情况", "内部退回意见", "内部核实意见"):
        assert note not in page


def test_the_totals_add_up_the_listed_amounts_exactly(client, decided):
    text = page_text(client.get(url("520111", YEAR, "application/")))

    assert "已确认决定 3 项 其中列明金额 2 项" in text
    assert "953.208 → 928.9436 万元 约 953.21 → 928.94 万元" in text
    assert "增减 -24.2644 万元" in text
    assert "优 1 1 476.604 500 +23.396" in text
    assert "良 1 0 — — —" in text
    assert "中 1 1 476.604 428.9436 -47.6604" in text
    assert "压减预算 1 1 476.604 428.9436 -47.6604" in text
    assert "合计 3 2 953.208 928.9436 -24.2644" in text


def test_the_problems_found_and_rectified_are_counted_with_description_and_state(client, decided):
    text = page_text(client.get(url("520111", YEAR, "application/")))

    assert "发现问题 2 个" in text
    assert "已整改（经财政局核实） 1 个" in text
    assert "重点项目：学前教育提升项目 花溪区教育局 绩效目标不够细化 已核实整改" in text
    assert "重点项目：农村公路养护项目 花溪区教育局 养护资金拨付滞后 待整改" in text


def test_the_csv_holds_exactly_the_rows_and_columns_shown(client, decided):
    response = client.get(url("520111", YEAR, "application/"), {"_export": "csv"})

    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert response["Content-Disposition"].endswith(".csv")
    assert rows[0] == [
        "类型",
        "部门或项目",
        "等级",
        "得分",
        "系统建议",
        "结果应用决定",
        "本年度资金（万元）",
        "下年度安排（万元）",
        "增减（万元）",
    ]
    assert rows[1:] == [
        ["部门整体", "花溪区民政局", "良", "85", "合理保障", "合理保障", "", "", ""],
        [
            "重点项目",
            "学前教育提升项目",
            "优",
            "95",
            "优先保障",
            "优先保障",
            "476.604",
            "500",
            "23.396",
        ],
        [
            "重点项目",
            "农村公路养护项目",
            "中",
            "70",
            "压减预算 10%",
            "压减预算 10%",
            "476.604",
            "428.9436",
            "-47.6604",
        ],
    ]


def test_the_xlsx_has_the_amounts_as_numbers(client, decided):
    response = client.get(url("520111", YEAR, "application/"), {"_export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 4
    assert values[3][6:] == (476.604, 428.9436, -47.6604)


def test_an_unknown_download_format_is_refused(client, decided):
    response = client.get(url("520111", YEAR, "application/"), {"_export": "pdf"})

    assert response.status_code == 400


def test_a_year_without_released_results_answers_like_a_missing_one(client, huaxi):
    project(huaxi, 1, "未公开的项目", "70", state=State.APPROVED)

    assert client.get(url("520111", YEAR, "application/")).status_code == 404
    assert client.get(url("520199", YEAR, "application/")).status_code == 404


def test_a_released_year_without_decisions_says_so(client, huaxi):
    project(huaxi, 1, "学前教育提升项目", "95")

    text = page_text(client.get(url("520111", YEAR, "application/")))

    assert "本年度尚无已公开的结果应用决定" in text
    assert "本年度已公开的评价未记录发现的问题" in text


def build(code, size):
    """A region with size released units and projects, each with a confirmed decision and
    every project with a problem."""
    region = region_ensure(code=code, name=f"区{code}")
    add_units(region, YEAR, size)
    projects = add_projects(region, YEAR, size)
    evaluations = UnitEvaluation.objects.filter(region=region)
    confirmed = {"state": BudgetDecision.State.CONFIRMED, "action": Action.KEEP}
    BudgetDecision.objects.bulk_create(
        [
            BudgetDecision(
                region=region,
                year=YEAR,
                unit_evaluation=e,
                proposed_action=Action.KEEP,
                **confirmed,
            )
            for e in evaluations
        ]
        + [
            BudgetDecision(
                region=region,
                year=YEAR,
                project=p,
                proposed_action=Action.CUT,
                proposed_share=D(10),
                cut_share=D(10),
                base_amount=D("300.370368"),
                next_year_amount=D("270.3333312"),
                state=BudgetDecision.State.CONFIRMED,
                action=Action.CUT,
            )
            for p in projects
        ]
    )
    unit = evaluations.first().unit
    Problem.objects.bulk_create(
        Problem(region=region, year=YEAR, unit=unit, project=p, source="firm", description="问题")
        for p in projects
    )


@pytest.mark.parametrize(("query", "budget"), [({}, 4), ({"page": 3}, 4), ({"_export": "csv"}, 2)])
def test_the_page_runs_the_same_queries_for_ten_rows_and_five_hundred(client, query, budget):
    build("520101", 10)
    build("520102", 500)
    counts = []
    for code in ("520101", "520102"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(code, YEAR, "application/"), query).status_code == 200
        counts.append(len(queries))

    # region (1) + decisions with their evaluations (1) + problem counts (1) + problems (1);
    # a download: region and decisions.
    assert counts == [budget, budget]
