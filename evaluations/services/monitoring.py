"""Monitoring reports: filed per approved target and period, checked by deviation.py."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import deviation, policies
from ..models import FundSource, MonitoringEntry, MonitoringReport, PerformanceTarget
from ..selectors.targets import version_leaves
from ..workflow import Role
from .filings import (
    apply_entries,
    check_revision,
    clean_or_refuse,
    editable_or_refuse,
    filing_transition,
    refuse_other_fields,
)
from .workflow import WorkflowError, locked_row, record_event

FIELDS = ("budget", "adjusted_budget", "spent", "expected_spent", "cause", "measure")
ENTRY_FIELDS = ("progress", "expected", "likelihood", "cause", "measure")


def report_execution(report: MonitoringReport) -> deviation.Execution:
    return deviation.execution(
        budget=report.budget,
        adjusted_budget=report.adjusted_budget,
        spent=report.spent,
        pace=report.period.pace,
    )


def report_problems(report: MonitoringReport, entries=None) -> list[str]:
    """Return what the report still owes before it may be submitted."""
    entries = entries if entries is not None else report.entries.select_related("indicator")
    return deviation.report_problems(
        result=report_execution(report),
        cause=report.cause,
        measure=report.measure,
        entries=[(e.indicator.name, e.likelihood, e.cause, e.measure) for e in entries],
    )


@transaction.atomic
def monitoring_report_save(
    *,
    period,
    target: PerformanceTarget,
    user,
    changes: dict,
    entries: dict[int, dict] | None = None,
    fund_sources: list[dict] | None = None,
    revision=None,
    importing=False,
) -> MonitoringReport:
    """Create or change the target's report for the period while it is the unit's turn.

    entries maps a 三级 indicator's id (of the version in force) to its progress fields.
    """
    if not policies.target_in_scope(user, target):
        raise PermissionDenied
    refuse_other_fields(changes, FIELDS)
    report = MonitoringReport.objects.filter(period=period, target=target).first()
    if report is None:
        if not (policies.acts_as(user, Role.DEPARTMENT) or policies.acts_as(user, Role.REVIEWER)):
            raise PermissionDenied
        target = locked_row(target)
        if target.approved_version_id is None:
            raise WorkflowError("绩效目标尚未批复，不能监控")
        if (period.region_id, period.year) != (target.region_id, target.year):
            raise WorkflowError("监控期须与绩效目标属于同一区划和年度")
        report = MonitoringReport(period=period, target=target, version=target.approved_version)
        for name, value in changes.items():
            setattr(report, name, value)
        clean_or_refuse(report, exclude=["period", "target", "version"])
        report.save()
        MonitoringEntry.objects.bulk_create(
            MonitoringEntry(report=report, indicator=leaf)
            for leaf in version_leaves(report.version)
        )
        record_event(
            report, action="monitoring_create", from_state="", to_state=report.state, user=user
        )
    else:
        report = locked_row(report)
        editable_or_refuse(user, report, importing=importing)
        check_revision(report, revision)
        for name, value in changes.items():
            setattr(report, name, value)
        clean_or_refuse(report, exclude=["period", "target", "version"])
        report.revision += 1
        report.save()
    changed = apply_entries(
        report.entries.select_related("indicator"),
        entries,
        fields=ENTRY_FIELDS,
        unknown="监控指标须是执行中目标版本的指标",
    )
    if changed:
        MonitoringEntry.objects.bulk_update(changed, ENTRY_FIELDS)
    if fund_sources is not None:
        report.fund_sources.all().delete()
        FundSource.objects.bulk_create(
            FundSource(monitoring_report=report, position=i, **source)
            for i, source in enumerate(fund_sources)
        )
    return report


@transaction.atomic
def monitoring_transition(
    *, report: MonitoringReport, user, name: str, comment: str = "", revision=None
) -> MonitoringReport:
    """Submit, return, approve or reopen a report; a report owing causes is not submitted."""

    def ready(current):
        return report_problems(current) if name == "submit" else []

    return filing_transition(
        kind="monitoring",
        filing=report,
        user=user,
        name=name,
        comment=comment,
        revision=revision,
        ready=ready,
    )
