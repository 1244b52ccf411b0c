"""The deviation board: for one monitoring period, what lags, by how much, who is missing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from .. import deviation
from ..indicators import Likelihood
from ..models import MonitoringPeriod, MonitoringReport, PerformanceTarget
from ..workflow import FilingState

REPORTED = (FilingState.SUBMITTED, FilingState.APPROVED)


@dataclass
class BoardRow:
    target: PerformanceTarget
    report: MonitoringReport | None
    execution: deviation.Execution | None
    uncertain: int  # indicators 有可能 or 不可能
    impossible: int

    @property
    def reported(self) -> bool:
        return self.report is not None and self.report.state in REPORTED

    @property
    def lagging(self) -> bool:
        return self.execution is not None and deviation.lags(self.execution)

    @property
    def drifting(self) -> bool:
        return self.lagging or self.uncertain > 0


def deviation_board(*, period: MonitoringPeriod, targets) -> dict:
    """Return the board's rows and counts for the approved targets given (already scoped).

    Rows come worst first: missing reports, then by lag, then by uncertain indicators.
    A fixed number of queries whatever the number of targets.
    """
    targets = list(
        targets.filter(
            region=period.region_id, year=period.year, approved_version__isnull=False
        ).select_related("unit")
    )
    reports = {
        report.target_id: report
        for report in MonitoringReport.objects.filter(period=period, target__in=targets)
        .select_related("period")
        .annotate(
            uncertain=Count(
                "entries",
                filter=Q(entries__likelihood__in=(Likelihood.POSSIBLE, Likelihood.IMPOSSIBLE)),
            ),
            impossible=Count("entries", filter=Q(entries__likelihood=Likelihood.IMPOSSIBLE)),
        )
    }
    rows = []
    for target in targets:
        report = reports.get(target.pk)
        execution = None
        if report is not None and report.state in REPORTED:
            execution = deviation.execution(
                budget=report.budget,
                adjusted_budget=report.adjusted_budget,
                spent=report.spent,
                pace=period.pace,
            )
        rows.append(
            BoardRow(
                target=target,
                report=report,
                execution=execution,
                uncertain=report.uncertain
                if report is not None and report.state in REPORTED
                else 0,
                impossible=report.impossible
                if report is not None and report.state in REPORTED
                else 0,
            )
        )
    # Worst first: not reported; then no measurable rate (a zero budget); then by lag.
    rows.sort(
        key=lambda r: (
            r.reported,
            r.execution is None or r.execution.rate is not None,
            -(r.execution.lag if r.execution and r.execution.lag is not None else Decimal(0)),
            -r.uncertain,
            r.target.unit.name,
            r.target.project_name,
        )
    )
    return {
        "rows": rows,
        "targets": len(rows),
        "reported": sum(r.reported for r in rows),
        "missing": sum(not r.reported for r in rows),
        "lagging": sum(r.lagging for r in rows),
        "uncertain": sum(r.uncertain > 0 for r in rows),
        "pace": period.pace,
    }
