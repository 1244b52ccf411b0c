"""Dual monitoring (双监控): budget execution and target progress for a period of the year.

A region sets its periods (1–6月, 1–7月, 1–8月 …) with a due date; each unit reports each
approved target once per period, against the version in force (../shared/domain.md §7).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ..decimals import percent
from ..indicators import Likelihood
from ..workflow import FilingState
from .results import YEAR_VALIDATORS, Region
from .targets import MONEY, IndicatorNode, PerformanceTarget, TargetVersion


class MonitoringPeriod(models.Model):
    """监控期: the months a monitoring round covers, and the spending pace expected by then."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    end_month = models.PositiveSmallIntegerField(
        "截至月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_date = models.DateField("报送截止日期")
    expected_rate = models.DecimalField(
        "序时进度（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="留空按时间进度计算：截至月份 ÷ 12",
    )

    class Meta:
        verbose_name = "监控期"
        verbose_name_plural = "监控期"
        ordering = ["region", "-year", "-end_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "end_month"], name="monitoring_period_unique"
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.label}"

    @property
    def label(self) -> str:
        return f"1–{self.end_month}月"

    @property
    def pace(self) -> Decimal:
        """Return the share of the budget expected spent by the period's end, in %."""
        if self.expected_rate is not None:
            return self.expected_rate
        return percent(Decimal(self.end_month) / 12)


class MonitoringReport(models.Model):
    """绩效监控表: one target's budget execution and indicator progress for one period."""

    period = models.ForeignKey(
        MonitoringPeriod, models.PROTECT, related_name="reports", verbose_name="监控期"
    )
    target = models.ForeignKey(
        PerformanceTarget,
        models.PROTECT,
        related_name="monitoring_reports",
        verbose_name="绩效目标",
    )
    version = models.ForeignKey(
        TargetVersion, models.PROTECT, related_name="+", verbose_name="监控的目标版本"
    )
    state = models.CharField(
        "状态", max_length=12, choices=FilingState.choices, default=FilingState.DRAFT
    )
    budget = models.DecimalField("年初预算数（万元）", **MONEY, validators=[MinValueValidator(0)])
    adjusted_budget = models.DecimalField(
        "调整后预算数（万元）", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    spent = models.DecimalField("累计执行数（万元）", **MONEY, validators=[MinValueValidator(0)])
    expected_spent = models.DecimalField(
        "全年预计执行数（万元）", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cause = models.TextField("偏差原因分析", blank=True)
    measure = models.TextField("改进措施", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)

    class Meta:
        verbose_name = "绩效监控表"
        verbose_name_plural = "绩效监控表"
        ordering = ["period", "target"]
        constraints = [
            models.UniqueConstraint(fields=["period", "target"], name="monitoring_once_per_period"),
        ]

    def __str__(self):
        return f"{self.target} {self.period.label}监控"


class MonitoringEntry(models.Model):
    """One indicator's progress in a monitoring report."""

    report = models.ForeignKey(
        MonitoringReport, models.CASCADE, related_name="entries", verbose_name="监控表"
    )
    indicator = models.ForeignKey(
        IndicatorNode, models.PROTECT, related_name="+", verbose_name="绩效指标"
    )
    progress = models.CharField("当前完成值", max_length=100, blank=True)
    expected = models.CharField("全年预计完成值", max_length=100, blank=True)
    likelihood = models.CharField(
        "完成目标可能性", max_length=12, choices=Likelihood.choices, blank=True
    )
    cause = models.TextField("偏差原因分析", blank=True)
    measure = models.TextField("改进措施", blank=True)

    class Meta:
        verbose_name = "指标监控情况"
        verbose_name_plural = "指标监控情况"
        ordering = ["report", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="monitoring_entry_unique"),
        ]

    def __str__(self):
        return str(self.indicator)
