"""The self-evaluation table (项目支出绩效自评表) of one target's approved version.

Everything the unit enters is kept as entered; every score is computed by
evaluations.scoring when the table is saved through its service, never typed into a
total (../shared/domain.md §5, §12).
"""

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ..grading import Grade
from ..scoring import Tier
from ..workflow import FilingState
from .monitoring import MonitoringReport
from .results import SCORE_VALIDATORS, FundingLine
from .targets import MONEY, POINTS, Framework, IndicatorNode, PerformanceTarget, TargetVersion

AMOUNT = {**MONEY, "validators": [MinValueValidator(0)]}


class SelfEvaluation(models.Model):
    """项目支出绩效自评表: budget execution, goal completion and each indicator's result."""

    target = models.OneToOneField(
        PerformanceTarget, models.PROTECT, related_name="self_evaluation", verbose_name="绩效目标"
    )
    version = models.ForeignKey(
        TargetVersion, models.PROTECT, related_name="+", verbose_name="自评的目标版本"
    )
    framework = models.ForeignKey(
        Framework, models.PROTECT, related_name="+", verbose_name="计分规则"
    )
    funding_line = models.OneToOneField(
        FundingLine,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="self_evaluation",
        verbose_name="对应资金明细",
        help_text="重点项目的资金明细：其自评得分取自本表",
    )
    state = models.CharField(
        "状态", max_length=12, choices=FilingState.choices, default=FilingState.DRAFT
    )
    # 年度资金总额 row of the fund block; the other rows are FundSource.
    initial_budget = models.DecimalField("年初预算数（万元）", **AMOUNT, null=True, blank=True)
    full_year_budget = models.DecimalField("全年预算数（万元）", **AMOUNT)
    adjusted_budget = models.DecimalField("调整后预算数（万元）", **AMOUNT, null=True, blank=True)
    spent = models.DecimalField("全年执行数（万元）", **AMOUNT)
    execution_entered = models.DecimalField(
        "预算执行得分（自填）",
        **POINTS,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="留空按公式计算；只能低于公式结果，并说明理由",
    )
    execution_reason = models.TextField("执行率偏低或扣分原因", blank=True)
    goal_actual = models.TextField("年度总体目标实际完成情况", blank=True)
    conclusion = models.TextField("评价结论", blank=True)
    problems = models.TextField("存在问题", blank=True)
    measures = models.TextField("改进措施", blank=True)
    # Computed by services.self_evaluations from the entries and the framework's settings.
    execution_rate = models.DecimalField(
        "预算执行率（%）", max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    execution_score = models.DecimalField(
        "预算执行得分", **POINTS, null=True, blank=True, editable=False
    )
    total = models.DecimalField(
        "自评总分", **POINTS, null=True, blank=True, editable=False, validators=SCORE_VALIDATORS
    )
    grade = models.CharField(
        "等级", max_length=1, choices=Grade.choices, blank=True, editable=False
    )
    warnings = models.JSONField("一致性提示", default=list, blank=True, editable=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["revision", "warnings"])

    class Meta:
        verbose_name = "绩效自评表"
        verbose_name_plural = "绩效自评表"
        ordering = ["target"]

    def __str__(self):
        return f"{self.target} 自评表"


class SelfEvaluationEntry(models.Model):
    """One indicator's actual value and score in a self-evaluation table."""

    self_evaluation = models.ForeignKey(
        SelfEvaluation, models.CASCADE, related_name="entries", verbose_name="自评表"
    )
    indicator = models.ForeignKey(
        IndicatorNode, models.PROTECT, related_name="+", verbose_name="绩效指标"
    )
    applicable = models.BooleanField("适用", default=True)
    actual_value = models.CharField("实际完成值", max_length=100, blank=True)
    actual_number = models.DecimalField(
        "实际完成值（数值）", max_digits=24, decimal_places=6, null=True, blank=True
    )
    tier = models.CharField("定性评价档次", max_length=10, choices=Tier.choices, blank=True)
    entered_score = models.DecimalField(
        "得分（自填）",
        **POINTS,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="留空按公式计算；只能低于公式结果，并说明理由",
    )
    reason = models.TextField("偏差原因分析及改进措施", blank=True)
    ceiling = models.DecimalField("公式得分", **POINTS, null=True, blank=True, editable=False)
    score = models.DecimalField("得分", **POINTS, null=True, blank=True, editable=False)
    missed = models.BooleanField("未达成", default=False, editable=False)

    class Meta:
        verbose_name = "自评指标"
        verbose_name_plural = "自评指标"
        ordering = [
            "self_evaluation",
            "indicator__parent__parent__position",
            "indicator__parent__position",
            "indicator__position",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["self_evaluation", "indicator"], name="self_evaluation_entry_unique"
            ),
        ]

    def __str__(self):
        return str(self.indicator)


class FundSource(models.Model):
    """A fund source row (其中：财政拨款 / 上年结转 / 其他资金) of a table's fund block."""

    self_evaluation = models.ForeignKey(
        SelfEvaluation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="fund_sources",
        verbose_name="自评表",
    )
    monitoring_report = models.ForeignKey(
        MonitoringReport,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="fund_sources",
        verbose_name="监控表",
    )
    position = models.PositiveSmallIntegerField("行次")
    label = models.CharField("资金来源", max_length=50)
    initial_budget = models.DecimalField("年初预算数", **AMOUNT, null=True, blank=True)
    full_year_budget = models.DecimalField("全年预算数", **AMOUNT, null=True, blank=True)
    adjusted_budget = models.DecimalField("调整后预算数", **AMOUNT, null=True, blank=True)
    spent = models.DecimalField("执行数", **AMOUNT, null=True, blank=True)

    class Meta:
        verbose_name = "资金来源"
        verbose_name_plural = "资金来源"
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(self_evaluation__isnull=False, monitoring_report__isnull=True)
                | models.Q(self_evaluation__isnull=True, monitoring_report__isnull=False),
                name="fund_source_has_one_owner",
            ),
        ]

    def __str__(self):
        return self.label
