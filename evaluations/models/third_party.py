"""The firm's evaluation sheet of a key project, and the problems evaluations find.

The firm scores each 三级 indicator of the region's third-party framework (决策 / 过程 /
产出 / 效益) with a short finding; the sheet's total becomes the project's third-party
score and grade through the workflow services, so no score is typed by hand. Problems
(问题) are items of their own: rectification tracks them later.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from .results import Project, Region, Unit, UnitEvaluation
from .targets import POINTS, Framework, IndicatorNode


class ThirdPartySheet(models.Model):
    """第三方评价评分表 of one project evaluation."""

    project = models.OneToOneField(
        Project, models.CASCADE, related_name="sheet", verbose_name="重点项目评价"
    )
    framework = models.ForeignKey(
        Framework, models.PROTECT, related_name="+", verbose_name="指标体系模板"
    )
    summary = models.TextField("综合评价结论", blank=True)
    total = models.DecimalField("合计得分", **POINTS, null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)

    class Meta:
        verbose_name = "第三方评价评分表"
        verbose_name_plural = "第三方评价评分表"

    def __str__(self):
        return f"{self.project} 评分表"


class ThirdPartyScore(models.Model):
    """The firm's score and finding for one indicator of the framework."""

    sheet = models.ForeignKey(
        ThirdPartySheet, models.CASCADE, related_name="scores", verbose_name="评分表"
    )
    indicator = models.ForeignKey(
        IndicatorNode, models.PROTECT, related_name="+", verbose_name="评价指标"
    )
    score = models.DecimalField("得分", **POINTS, validators=[MinValueValidator(0)])
    finding = models.TextField("评价发现", blank=True)

    class Meta:
        verbose_name = "指标评分"
        verbose_name_plural = "指标评分"
        ordering = [
            "sheet",
            "indicator__parent__parent__position",
            "indicator__parent__position",
            "indicator__position",
        ]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="third_party_score_unique"),
        ]

    def __str__(self):
        return str(self.indicator)


class Problem(models.Model):
    """问题: something an evaluation found that the unit must put right (整改).

    The unit reports its rectification by the deadline; the bureau verifies it or sends it
    back. Overdue is not stored: it is an open or reported problem past its deadline
    (selectors.rectification), so it can never be out of date.
    """

    class Source(models.TextChoices):
        FIRM = "firm", "第三方机构"
        BUREAU = "bureau", "财政局"

    class State(models.TextChoices):
        OPEN = "open", "待整改"
        REPORTED = "reported", "已报整改情况"
        VERIFIED = "verified", "已核实整改"

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="problems", verbose_name="责任单位")
    project = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name="重点项目评价",
    )
    unit_evaluation = models.ForeignKey(
        UnitEvaluation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name="部门整体绩效评价",
    )
    source = models.CharField("提出方", max_length=10, choices=Source.choices)
    description = models.TextField("问题描述")
    deadline = models.DateField("整改期限", null=True, blank=True)
    state = models.CharField(
        "整改状态", max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    measure = models.TextField("整改措施", blank=True)
    report = models.TextField("整改情况", blank=True)
    reported_at = models.DateTimeField("报送时间", null=True, blank=True, editable=False)
    verification = models.TextField("核实意见", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核实人",
        editable=False,
    )
    verified_at = models.DateTimeField("核实时间", null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "发现的问题"
        verbose_name_plural = "发现的问题"
        ordering = ["region", "-year", "unit__name", "pk"]
        indexes = [models.Index(fields=["region", "year", "state", "deadline"])]

    def __str__(self):
        return self.description[:40]
