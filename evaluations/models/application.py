"""Result application (结果应用): what an approved evaluation means for next year's budget.

A region's rules propose a decision for every approved evaluation (../shared/domain.md §9;
the rules themselves are in evaluations.application); the bureau confirms the proposal or
overrides it with a reason, and records next year's budget so a year's page can show how
results moved the money.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .results import YEAR_VALIDATORS, Project, Region, UnitEvaluation

SHARE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
AMOUNT = {"max_digits": 18, "decimal_places": 6, "validators": [MinValueValidator(Decimal(0))]}


class Action(models.TextChoices):
    PRIORITY = "priority", "优先保障"
    KEEP = "keep", "合理保障"
    CUT = "cut", "压减预算"
    CANCEL = "cancel", "取消或暂停"


class ApplicationRules(models.Model):
    """结果应用规则: the decision each grade proposes, and what else counts."""

    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="区划",
        help_text="留空为所有区划的默认规则",
    )
    year = models.PositiveSmallIntegerField(
        "评价年度", null=True, blank=True, validators=YEAR_VALIDATORS, help_text="留空为各年通用"
    )
    excellent = models.CharField(
        "优 →", max_length=10, choices=Action.choices, default=Action.PRIORITY
    )
    good = models.CharField("良 →", max_length=10, choices=Action.choices, default=Action.KEEP)
    fair = models.CharField("中 →", max_length=10, choices=Action.choices, default=Action.CUT)
    poor = models.CharField("差 →", max_length=10, choices=Action.choices, default=Action.CANCEL)
    cut_share = models.DecimalField(
        "压减比例（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=SHARE_VALIDATORS,
    )
    execution_floor = models.DecimalField(
        "预算执行率下限（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=SHARE_VALIDATORS,
        help_text="自评的预算执行率低于此值的，至少压减",
    )
    unrectified_steps_down = models.BooleanField(
        "未整改问题降一档", default=True, help_text="有逾期未整改的问题，建议降一档处理"
    )

    class Meta:
        verbose_name = "结果应用规则"
        verbose_name_plural = "结果应用规则"
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], name="application_rules_once_per_region_year"
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(year__isnull=True),
                name="application_rules_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(region__isnull=True),
                name="application_rules_once_per_year",
            ),
            # NULLs never collide in a unique index: the default row is one by a constant.
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(region__isnull=True, year__isnull=True),
                name="application_rules_one_default",
            ),
        ]

    def __str__(self):
        where = self.region.name if self.region_id else "默认"
        return f"{where}{f' {self.year}年' if self.year else ''}结果应用规则"


class BudgetDecision(models.Model):
    """The bureau's decision on next year's budget for one approved evaluation."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "系统建议"
        CONFIRMED = "confirmed", "已确认"

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("评价年度", validators=YEAR_VALIDATORS)
    unit_evaluation = models.OneToOneField(
        UnitEvaluation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name="部门整体绩效评价",
    )
    project = models.OneToOneField(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name="重点项目绩效评价",
    )
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    proposed_action = models.CharField("建议", max_length=10, choices=Action.choices)
    proposed_share = models.DecimalField(
        "建议压减比例（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SHARE_VALIDATORS,
    )
    grounds = models.JSONField("建议依据", default=list, blank=True)
    action = models.CharField("决定", max_length=10, choices=Action.choices, blank=True)
    cut_share = models.DecimalField(
        "压减比例（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SHARE_VALIDATORS,
    )
    reason = models.TextField("调整理由", blank=True, help_text="决定与建议不同时必填")
    base_amount = models.DecimalField("本年度资金（万元）", null=True, blank=True, **AMOUNT)
    next_year_amount = models.DecimalField("下年度安排（万元）", null=True, blank=True, **AMOUNT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
        editable=False,
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)

    class Meta:
        verbose_name = "预算安排决定"
        verbose_name_plural = "预算安排决定"
        ordering = ["region", "-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_evaluation__isnull=False, project__isnull=True)
                | Q(unit_evaluation__isnull=True, project__isnull=False),
                name="budget_decision_has_one_evaluation",
            ),
        ]
        indexes = [models.Index(fields=["region", "year", "state"])]

    def __str__(self):
        return f"{self.evaluation} 预算安排"

    @property
    def evaluation(self):
        return self.unit_evaluation if self.unit_evaluation_id else self.project


class ReportSection(models.TextChoices):
    """The parts of the annual report whose narrative the bureau writes (the figures and
    tables between them come from data)."""

    OPENING = "opening", "总体情况"
    TARGETS = "targets", "绩效目标管理"
    MONITORING = "monitoring", "绩效运行监控"
    EVALUATION = "evaluation", "绩效评价"
    DISCLOSURE = "disclosure", "信息公开"
    UNITS = "units", "部门整体绩效评价结果"
    PROJECTS = "projects", "重点项目绩效评价结果"
    PROBLEMS = "problems", "存在的问题"
    PLANS = "plans", "下一步工作计划"


class ReportText(models.Model):
    """The bureau's own words for one section of a region's annual report: a draft the
    reviewer edits, and the text the publisher released, which the public report shows."""

    region = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    section = models.CharField("部分", max_length=20, choices=ReportSection.choices)
    text = models.TextField("正文", blank=True, help_text="草稿：公开前只在预览中可见")
    # What the public report shows: the text as it was when the publisher released it.
    published_text = models.TextField("已公开正文", blank=True, editable=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
        editable=False,
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "报告正文"
        verbose_name_plural = "报告正文"
        ordering = ["region", "-year", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "section"], name="report_text_once_per_section"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_section_display()}"
