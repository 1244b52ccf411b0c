"""Indicator frameworks and performance targets (绩效目标) with their approved versions.

A framework is a region's (or the default) indicator tree for one purpose and year: the
common indicators (共性指标) a target starts from, or the tree a firm scores. A target is
one project's or one unit's overall spending's goal for a year; what the department files
is a version, and a version once approved is never changed again: an adjustment is a new
version with a reason, reviewed and approved in its turn (../shared/domain.md §3).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from ..grading import Grade
from ..indicators import EXECUTION_POINTS, Direction
from ..scoring import Denominator, Operator
from ..workflow import FilingState
from .results import YEAR_VALIDATORS, Project, Region, Unit

POINTS = {"max_digits": 5, "decimal_places": 2}
MONEY = {"max_digits": 18, "decimal_places": 6}


class Framework(models.Model):
    """指标体系模板: an indicator tree and the settings its scores are computed with."""

    class Purpose(models.TextChoices):
        SELF_EVALUATION = "self_evaluation", "绩效目标及自评"
        THIRD_PARTY = "third_party", "第三方评价"

    purpose = models.CharField("用途", max_length=20, choices=Purpose.choices)
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
    execution_points = models.DecimalField(
        "预算执行分值", **POINTS, default=EXECUTION_POINTS, validators=[MinValueValidator(0)]
    )
    denominator = models.CharField(
        "执行率分母", max_length=20, choices=Denominator.choices, default=Denominator.FULL_YEAR
    )
    score_places = models.PositiveSmallIntegerField(
        "得分保留小数位",
        default=2,
        choices=[(0, "取整"), (1, "1位"), (2, "2位")],
        help_text="四舍五入",
    )
    execution_in_total = models.BooleanField(
        "总分含预算执行得分",
        default=True,
        help_text="不勾选：总分只计指标得分（指标合计100分），预算执行得分单列",
    )
    allow_adjustment = models.BooleanField(
        "允许调整一级指标分值", default=False, help_text="特殊情况下，目标可调整一级指标分值"
    )

    class Meta:
        verbose_name = "指标体系模板"
        verbose_name_plural = "指标体系模板"
        ordering = ["purpose", "region", "-year"]
        # One template per purpose and scope; a NULL region or year is a scope of its own
        # (a plain unique constraint would let NULLs repeat).
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "region", "year"], name="framework_once_per_region_year"
            ),
            models.UniqueConstraint(
                fields=["purpose", "region"],
                condition=Q(year__isnull=True),
                name="framework_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["purpose", "year"],
                condition=Q(region__isnull=True),
                name="framework_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["purpose"],
                condition=Q(region__isnull=True, year__isnull=True),
                name="framework_one_default",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def indicator_total(self) -> Decimal:
        """Return what the 一级 indicators' points must add up to (90 by default)."""
        if self.purpose == self.Purpose.THIRD_PARTY or not self.execution_in_total:
            return Decimal(100)
        return Decimal(100) - self.execution_points


class PerformanceTarget(models.Model):
    """绩效目标: a project's, or a unit's overall spending's, goal for one year."""

    class Scope(models.TextChoices):
        UNIT = "unit", "部门整体"
        PROJECT = "project", "项目"

    class Attribute(models.TextChoices):
        NEW = "new", "新增"
        CONTINUING = "continuing", "延续"
        RENEWED = "renewed", "到期延续"

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="targets", verbose_name="主管部门")
    scope = models.CharField("目标类型", max_length=10, choices=Scope.choices)
    project_code = models.CharField("项目代码", max_length=30, blank=True)
    project_name = models.CharField("项目名称", max_length=200, blank=True)
    implementing_unit = models.CharField("实施单位", max_length=100, blank=True)
    attribute = models.CharField("项目属性", max_length=12, choices=Attribute.choices, blank=True)
    evaluation = models.OneToOneField(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="target",
        verbose_name="重点项目评价",
    )
    # The version in force: the last approved one. Kept here so a page reads it in a join.
    approved_version = models.OneToOneField(
        "TargetVersion",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="执行中的版本",
    )

    class Meta:
        verbose_name = "绩效目标"
        verbose_name_plural = "绩效目标"
        ordering = ["region", "-year", "unit__name", "scope", "project_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "unit"],
                condition=Q(scope="unit"),
                name="target_unit_overall_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "unit", "project_name"],
                condition=Q(scope="project"),
                name="target_project_once_per_year",
            ),
            models.CheckConstraint(
                condition=Q(scope="unit", project_name="")
                | Q(scope="project") & ~Q(project_name=""),
                name="target_project_has_name",
            ),
        ]
        indexes = [models.Index(fields=["region", "year", "scope"])]

    def __str__(self):
        what = self.project_name if self.scope == self.Scope.PROJECT else "部门整体支出"
        return f"{self.year} {self.unit} {what}"


class TargetVersion(models.Model):
    """One filing of a target: the goal, the funds and the indicators as submitted."""

    target = models.ForeignKey(
        PerformanceTarget, models.CASCADE, related_name="versions", verbose_name="绩效目标"
    )
    number = models.PositiveSmallIntegerField("版本号")
    state = models.CharField(
        "状态", max_length=12, choices=FilingState.choices, default=FilingState.DRAFT
    )
    framework = models.ForeignKey(
        Framework, models.PROTECT, related_name="+", verbose_name="指标体系模板"
    )
    overall_goal = models.TextField("年度总体目标", blank=True)
    long_term_goal = models.TextField("中长期目标", blank=True)
    funds_total = models.DecimalField(
        "年度资金总额（万元）", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    funds_fiscal = models.DecimalField(
        "其中：财政拨款（万元）", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    funds_other = models.DecimalField(
        "其他资金（万元）", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    reason = models.TextField("调整原因", blank=True)
    review_grade = models.CharField("审核等级", max_length=1, choices=Grade.choices, blank=True)
    first_review_grade = models.CharField(
        "首次审核等级", max_length=1, choices=Grade.choices, blank=True, editable=False
    )
    review_comment = models.TextField("审核意见", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="填报人",
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    approved_at = models.DateTimeField("批复时间", null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)

    class Meta:
        verbose_name = "绩效目标版本"
        verbose_name_plural = "绩效目标版本"
        ordering = ["target", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["target", "number"], name="target_version_unique"),
        ]

    def __str__(self):
        return f"{self.target} 第{self.number}版"


class IndicatorNode(models.Model):
    """One node of an indicator tree: a framework's, or a target version's.

    一级 and 二级 nodes group; 三级 nodes are the indicators with their value fields.
    """

    framework = models.ForeignKey(
        Framework,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="nodes",
        verbose_name="指标体系模板",
    )
    version = models.ForeignKey(
        TargetVersion,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="目标版本",
    )
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级指标",
    )
    level = models.PositiveSmallIntegerField(
        "级次", choices=[(1, "一级"), (2, "二级"), (3, "三级")]
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("指标名称", max_length=200)
    points = models.DecimalField(
        "分值", **POINTS, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    operator = models.CharField("计算符号", max_length=1, choices=Operator.choices, blank=True)
    target_value = models.CharField("指标值", max_length=100, blank=True)
    target_number = models.DecimalField(
        "指标值（数值）", max_digits=24, decimal_places=6, null=True, blank=True, editable=False
    )
    unit_of_measure = models.CharField("计量单位", max_length=20, blank=True)
    quantitative = models.BooleanField("定量指标", default=True)
    direction = models.CharField("指标方向", max_length=10, choices=Direction.choices, blank=True)
    scoring_rule = models.TextField("评（扣）分标准", blank=True)
    explanation = models.TextField("指标解释", blank=True)
    core = models.BooleanField("核心指标", default=False)
    common = models.BooleanField("共性指标", default=False)

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["level", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(framework__isnull=False, version__isnull=True)
                | Q(framework__isnull=True, version__isnull=False),
                name="indicator_node_has_one_owner",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def target_text(self) -> str:
        """Return the target as a table writes it: "≥95%", "按月安排"."""
        unit = self.unit_of_measure if self.target_number is not None else ""
        return f"{self.operator}{self.target_value}{unit}"
