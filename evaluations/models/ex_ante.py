"""Ex-ante evaluation (事前绩效评估) of new major projects and those renewed after expiry.

A region's template sets the five dimensions' sub-items and points, how a grade turns into
points, the pass mark (70 by default) and which projects need an assessment. The
department files the assessment with the funds it requests; the bureau, or a firm it
commissions, grades each sub-item; the bureau concludes with the funds supported. The gate
(evaluations.ex_ante) keeps a project without a passing assessment from approved targets
and from the year's evaluated projects (../shared/domain.md §8).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .results import YEAR_VALIDATORS, Firm, Region
from .targets import MONEY, POINTS, PerformanceTarget

SHARE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}


class Dimension(models.TextChoices):
    NECESSITY = "necessity", "立项必要性"
    ECONOMY = "economy", "投入经济性"
    TARGETS = "targets", "绩效目标合理性"
    FEASIBILITY = "feasibility", "实施方案可行性"
    FINANCING = "financing", "筹资合规性"


class Conclusion(models.TextChoices):
    SUPPORT = "support", "予以支持"
    ADJUST = "adjust", "调整后支持"
    REJECT = "reject", "不予支持"


class ExAnteTemplate(models.Model):
    """事前绩效评估模板: sub-items with points, grade shares, the pass mark and the scope."""

    name = models.CharField("名称", max_length=100)
    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="区划",
        help_text="留空为所有区划的默认模板",
    )
    year = models.PositiveSmallIntegerField(
        "年度", null=True, blank=True, validators=YEAR_VALIDATORS, help_text="留空为各年通用"
    )
    pass_mark = models.DecimalField("通过分数线", **POINTS, default=Decimal(70))
    major_amount = models.DecimalField(
        "重大项目资金下限（万元）",
        **MONEY,
        default=Decimal(50),
        validators=[MinValueValidator(0)],
        help_text="新增或到期延续、年度资金不低于此数的项目须经事前绩效评估",
    )
    excellent_share = models.DecimalField("优（得分比例%）", **SHARE, default=Decimal(100))
    good_share = models.DecimalField("良（得分比例%）", **SHARE, default=Decimal(80))
    fair_share = models.DecimalField("中（得分比例%）", **SHARE, default=Decimal(60))
    poor_share = models.DecimalField("差（得分比例%）", **SHARE, default=Decimal(0))
    adjusted_passes = models.BooleanField(
        "“调整后支持”视为通过", default=True, help_text="按核定资金安排预算"
    )

    class Meta:
        verbose_name = "事前绩效评估模板"
        verbose_name_plural = "事前绩效评估模板"
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="ex_ante_template_once"),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(year__isnull=True),
                name="ex_ante_template_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(region__isnull=True),
                name="ex_ante_template_once_per_year",
            ),
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(region__isnull=True, year__isnull=True),
                name="ex_ante_template_one_default",
            ),
        ]

    def __str__(self):
        return self.name


class ExAnteItem(models.Model):
    """One graded sub-item of a dimension (e.g. 立项必要性 › 目的明确、相关性, 10 分)."""

    template = models.ForeignKey(
        ExAnteTemplate, models.CASCADE, related_name="items", verbose_name="模板"
    )
    dimension = models.CharField("评估维度", max_length=20, choices=Dimension.choices)
    name = models.CharField("评估要点", max_length=100)
    points = models.DecimalField("分值", **POINTS, validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评估要点"
        verbose_name_plural = "评估要点"
        ordering = ["template", "position", "pk"]

    def __str__(self):
        return f"{self.get_dimension_display()} › {self.name}"


class ExAnteAssessment(models.Model):
    """事前绩效评估: one project's assessment, filed by its department, scored and concluded
    by the bureau (or a firm it commissions)."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交待评估"
        SCORED = "scored", "已评分"
        CONCLUDED = "concluded", "已出具结论"

    target = models.OneToOneField(
        PerformanceTarget, models.CASCADE, related_name="ex_ante", verbose_name="项目绩效目标"
    )
    template = models.ForeignKey(
        ExAnteTemplate, models.PROTECT, related_name="+", verbose_name="评估模板"
    )
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    requested = models.DecimalField("申请资金（万元）", **MONEY, validators=[MinValueValidator(0)])
    summary = models.TextField("项目概况及申请理由", blank=True)
    firm = models.ForeignKey(
        Firm,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ex_ante_assessments",
        verbose_name="受托第三方机构",
        help_text="留空由财政局自行评估",
    )
    total = models.DecimalField("评估得分", **POINTS, null=True, blank=True, editable=False)
    conclusion = models.CharField("评估结论", max_length=10, choices=Conclusion.choices, blank=True)
    supported = models.DecimalField(
        "核定资金（万元）", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    opinion = models.TextField("评估意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    concluded_at = models.DateTimeField("结论时间", null=True, blank=True, editable=False)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="出具结论人",
    )
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)

    class Meta:
        verbose_name = "事前绩效评估"
        verbose_name_plural = "事前绩效评估"
        ordering = ["-target__year", "target__unit__name"]

    def __str__(self):
        return f"{self.target} 事前绩效评估"


class ExAnteGrade(models.Model):
    """The grade one sub-item received, and the points it gives under the template."""

    assessment = models.ForeignKey(
        ExAnteAssessment, models.CASCADE, related_name="grades", verbose_name="事前绩效评估"
    )
    item = models.ForeignKey(ExAnteItem, models.PROTECT, related_name="+", verbose_name="评估要点")
    grade = models.CharField(
        "等级", max_length=1, choices=[(g, g) for g in ("优", "良", "中", "差")]
    )
    points = models.DecimalField("得分", **POINTS, editable=False)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "要点评分"
        verbose_name_plural = "要点评分"
        ordering = ["assessment", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="ex_ante_grade_once"),
        ]

    def __str__(self):
        return f"{self.item} {self.grade}"
