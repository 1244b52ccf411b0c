"""Filing tables from the circulated spreadsheets, real ones included (tests/data/layouts)."""

from decimal import Decimal
from pathlib import Path

import pytest

from evaluations.layouts.read import read_documents
from evaluations.models import (
    Framework,
    MonitoringPeriod,
    MonitoringReport,
    PerformanceTarget,
    SelfEvaluation,
    TargetVersion,
    Unit,
)
from evaluations.services.documents import document_tree, documents_import
from evaluations.services.imports import region_ensure
from evaluations.services.targets import target_create, target_review, target_submit
from evaluations.workflow import FilingState

pytestmark = pytest.mark.django_db

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"
D = Decimal


def data(name):
    return (LAYOUTS / name).read_bytes()


def region_framework(region, **settings):
    """The region's own self-evaluation template, as its bureau would set it."""
    framework = Framework.objects.create(
        purpose=Framework.Purpose.SELF_EVALUATION,
        name=f"{region.name}自评模板",
        region=region,
        **settings,
    )
    return framework


@pytest.fixture
def civil_affairs(world):
    return Unit.objects.create(region=world.region, name="花溪区民政局", kind="department")


def test_the_real_zhongjiang_table_scores_to_its_authors_total(world):
    # 中江县 prints 总分 as the indicators' sum (70/20/10 = 100) with the execution score
    # beside it: the region's template says so, and the computed total is the printed one.
    zhongjiang = region_ensure(code="510623", name="中江县")
    Unit.objects.create(region=zhongjiang, name="中江县水利局", kind="department")
    region_framework(zhongjiang, allow_adjustment=True, execution_in_total=False)
    outcome = documents_import(
        data=data("self_evaluation_zhongjiang.xlsx"),
        file_name="self_evaluation_zhongjiang.xlsx",
        user=world.reviewer,
        region=zhongjiang,
        approved=True,
    )
    assert outcome.ok, outcome.errors
    evaluation = SelfEvaluation.objects.get()
    assert (evaluation.execution_score, evaluation.total) == (D("10.00"), D("100.00"))
    assert evaluation.state == FilingState.APPROVED
    assert "表中总分 100 与系统计算一致" in outcome.results[0].notes
    target = evaluation.target
    assert target.approved_version.state == FilingState.APPROVED
    assert {n.name: n.points for n in target.approved_version.indicators.filter(level=1)} == {
        "产出指标": D(70),
        "效益指标": D(20),
        "满意度指标": D(10),
    }


def test_on_the_default_template_the_zhongjiang_weights_are_refused_at_their_rows(world):
    zhongjiang = region_ensure(code="510623", name="中江县")
    Unit.objects.create(region=zhongjiang, name="中江县水利局", kind="department")
    outcome = documents_import(
        data=data("self_evaluation_zhongjiang.xlsx"),
        file_name="self_evaluation_zhongjiang.xlsx",
        user=world.reviewer,
        region=zhongjiang,
        approved=True,
    )
    assert not outcome.ok
    assert any(
        "self_evaluation_zhongjiang.xlsx 工作表“自评表”第" in e
        and "一级指标合计 100 分，本区划模板应为 90 分" in e
        for e in outcome.errors
    ), outcome.errors
    assert not PerformanceTarget.objects.exists()
    assert not SelfEvaluation.objects.exists()


def test_the_real_langfang_table_needs_whole_number_scores_and_says_so(world):
    langfang = region_ensure(code="131000", name="廊坊市")
    Unit.objects.create(region=langfang, name="廊坊市发改委", kind="department")

    def run():
        return documents_import(
            data=data("self_evaluation_langfang.xlsx"),
            file_name="self_evaluation_langfang.xlsx",
            user=world.reviewer,
            region=langfang,
            approved=True,
        )

    # Printed 9 for 37.24 ÷ 43.2 × 10 = 8.62: above the two-place formula, refused.
    refused = run()
    assert any("超过允许的 8.62 分" in e for e in refused.errors), refused.errors
    assert not SelfEvaluation.objects.exists()
    region_framework(langfang, score_places=0)
    outcome = run()
    assert outcome.ok, outcome.errors
    evaluation = SelfEvaluation.objects.get()
    assert (evaluation.execution_rate, evaluation.execution_score) == (D("86.20"), D("9"))
    assert evaluation.entries.get(indicator__name="工程资金金额").score == D("9")
    assert evaluation.total == D("98")


def test_the_standard_table_scores_to_its_printed_total(world, civil_affairs):
    outcome = documents_import(
        data=data("self_evaluation_standard.xlsx"),
        file_name="self_evaluation_standard.xlsx",
        user=world.reviewer,
        region=world.region,
        approved=True,
    )
    assert outcome.ok, outcome.errors
    evaluation = SelfEvaluation.objects.get()
    assert evaluation.total == D("95.99")
    assert evaluation.execution_score == D("9.56")
    lowered = evaluation.entries.get(indicator__name="项目总成本")
    assert (lowered.ceiling, lowered.score) == (D("10.00"), D("9.00"))
    assert evaluation.target.unit == civil_affairs


def test_a_department_cannot_self_evaluate_without_an_approved_target(world, civil_affairs):
    world.department.perf_role.units.add(civil_affairs)
    outcome = documents_import(
        data=data("self_evaluation_standard.xlsx"),
        file_name="self_evaluation_standard.xlsx",
        user=world.department,
        region=world.region,
    )
    assert len(outcome.errors) == 1
    assert "self_evaluation_standard.xlsx 工作表" in outcome.errors[0]
    assert "未找到已批复的绩效目标“花溪区社区居家养老服务补助项目”" in outcome.errors[0]
    assert not PerformanceTarget.objects.exists()


def test_only_the_bureau_enters_tables_as_approved(world, civil_affairs):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        documents_import(
            data=data("target_table.xlsx"),
            file_name="target_table.xlsx",
            user=world.department,
            region=world.region,
            approved=True,
        )


def test_a_department_imports_its_target_table_as_a_draft_and_can_replace_it(world, civil_affairs):
    world.department.perf_role.units.add(civil_affairs)

    def run():
        return documents_import(
            data=data("target_table.xlsx"),
            file_name="target_table.xlsx",
            user=world.department,
            region=world.region,
        )

    outcome = run()
    assert outcome.ok, outcome.errors
    version = TargetVersion.objects.get()
    assert (version.state, version.target.year, version.target.attribute) == (
        FilingState.DRAFT,
        2023,
        "continuing",
    )
    assert version.funds_total == D("360.00")
    assert version.indicators.filter(level=3).count() == 11
    assert run().ok
    assert TargetVersion.objects.count() == 1
    target_submit(version=version, user=world.department)
    target_review(version=version, user=world.reviewer, grade="优")
    again = run()
    assert any("已审核通过，不能用导入覆盖" in e for e in again.errors), again.errors


def test_a_department_out_of_scope_writes_nothing(world, civil_affairs):
    outcome = documents_import(
        data=data("target_table.xlsx"),
        file_name="target_table.xlsx",
        user=world.department,
        region=world.region,
    )
    assert outcome.errors and "不在您的范围内" in outcome.errors[0]
    assert not PerformanceTarget.objects.exists()


def test_a_monitoring_report_is_read_against_the_target_in_force(world, civil_affairs):
    [document] = read_documents(data("monitoring_report.xlsx"), file_name="monitoring_report.xlsx")
    # The same project's indicators and points, as its target table states them.
    [targets] = read_documents(data("target_table.xlsx"), file_name="target_table.xlsx")
    target = target_create(
        user=world.reviewer,
        region=world.region,
        year=2022,
        unit=civil_affairs,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=document.project_name,
        overall_goal="保障老人居家养老服务",
        funds_total=D("356.80"),
        tree=document_tree(targets),
    )
    version = target.versions.get()
    world.department.perf_role.units.add(civil_affairs)
    target_submit(version=version, user=world.department)
    target_review(version=version, user=world.reviewer, grade="优")

    def run():
        return documents_import(
            data=data("monitoring_report.xlsx"),
            file_name="monitoring_report.xlsx",
            user=world.department,
            region=world.region,
        )

    refused = run()
    assert any("未设置 2022年1–7月监控期" in e for e in refused.errors), refused.errors
    MonitoringPeriod.objects.create(
        region=world.region, year=2022, end_month=7, due_date="2022-08-15"
    )
    outcome = run()
    assert outcome.ok, outcome.errors
    report = MonitoringReport.objects.get()
    assert report.state == FilingState.DRAFT
    unanswered = report.entries.filter(likelihood="").values_list("indicator__name", flat=True)
    assert list(unanswered) == ["持续运营的服务机构数"]  # not in the report: owed on submit
    from evaluations.services.monitoring import report_problems

    assert "“持续运营的服务机构数”：请选择完成目标可能性" in report_problems(report)


def test_a_broken_file_names_the_file_and_writes_nothing(world):
    outcome = documents_import(
        data=b"PK\x03\x04 not really a workbook",
        file_name="坏文件.xlsx",
        user=world.reviewer,
        region=world.region,
    )
    assert outcome.errors and "坏文件.xlsx" in outcome.errors[0]
    assert not PerformanceTarget.objects.exists()


def test_one_bad_table_in_a_workbook_stops_the_good_ones_too(world, civil_affairs):
    from evaluations.layouts.write import write_documents

    [good] = read_documents(data("target_table.xlsx"), file_name="target_table.xlsx")
    [bad] = read_documents(data("target_table.xlsx"), file_name="target_table.xlsx")
    bad.project_name = "另一个项目"
    bad.department = "不存在的部门"
    world.department.perf_role.units.add(civil_affairs)
    outcome = documents_import(
        data=write_documents([good, bad]),
        file_name="两张表.xlsx",
        user=world.department,
        region=world.region,
    )
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith("两张表.xlsx 工作表“另一个项目”第")
    assert "主管部门“不存在的部门”不是花溪区登记的预算单位" in outcome.errors[0]
    assert not PerformanceTarget.objects.exists()


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(world, civil_affairs):
    world.department.perf_role.units.add(civil_affairs)
    outcome = documents_import(
        data=data("target_table.xlsx"),
        file_name="target_table.xlsx",
        user=world.department,
        region=world.region,
        dry_run=True,
    )
    assert outcome.ok and [r.created for r in outcome.results] == [True]
    assert not PerformanceTarget.objects.exists()
