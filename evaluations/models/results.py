"""The 2021 report's concepts: regions, units, firms, unit-overall and project evaluations.

Every business row carries its region (财政区划) and fiscal year, so one installation can
serve a whole city or province.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ..classification import UnitKind
from ..grading import Grade, grade_for
from ..workflow import FilingState, Role, State

EVALUATION_MODELS = ("unitevaluation", "project")

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Region(models.Model):
    code = models.CharField(
        "区划代码",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "区划代码为6位数字")],
    )
    name = models.CharField("区划名称", max_length=50)

    class Meta:
        verbose_name = "财政区划"
        verbose_name_plural = "财政区划"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Firm(models.Model):
    name = models.CharField("机构名称", max_length=100, unique=True)

    class Meta:
        verbose_name = "第三方机构"
        verbose_name_plural = "第三方机构"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A budget unit; the same row across years, so its history can be followed."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="units", verbose_name="区划")
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="主管部门",
    )

    class Meta:
        verbose_name = "预算单位"
        verbose_name_plural = "预算单位"
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.region_id != self.region_id:
            raise ValidationError({"parent": "主管部门必须属于同一区划"})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "主管部门不能是单位本身"})


class Graded(models.Model):
    """A score out of 100 with the grade its bands give (evaluations.grading)."""

    score = models.DecimalField(
        "得分", max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    grade = models.CharField(
        "等级", max_length=1, choices=Grade.choices, blank=True, editable=False
    )
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Bumped by every write through the services: a form or a transition prepared on an
    # older version is refused instead of overwriting what someone else did meanwhile.
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    released_at = models.DateTimeField("公开时间", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The grade is never typed: a grade from a file was already checked in clean().
        self.grade = grade_for(self.score) if self.score is not None else ""
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.score is None:
            return
        expected = grade_for(self.score)
        if self.grade and self.grade != expected:
            raise ValidationError(
                {"grade": f"等级“{self.grade}”与得分 {self.score} 不符，应为“{expected}”"}
            )


class UnitEvaluation(Graded):
    """部门整体绩效评价: one unit's overall spending for one year, scored by one firm."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="evaluations", verbose_name="被评单位"
    )
    firm = models.ForeignKey(
        Firm,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_evaluations",
        verbose_name="评价机构",
    )
    self_score = models.DecimalField(
        "自评得分",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    note = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "部门整体绩效评价"
        verbose_name_plural = "部门整体绩效评价"
        ordering = ["region", "-year", "-score", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "unit"], name="unit_evaluation_once_per_year"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "year", "score"]),
            # The public pages: a region's released results of a year, best first
            # (selectors.results; only released rows, so the index stays small).
            models.Index(
                fields=["region", "year", "-score"],
                condition=models.Q(state=State.RELEASED),
                name="unit_evaluation_public",
            ),
        ]
        permissions = [
            ("import_unitevaluation", "可以导入部门整体绩效评价"),
            ("export_unitevaluation", "可以导出部门整体绩效评价"),
        ]

    def __str__(self):
        return f"{self.year} {self.unit}"

    def clean(self):
        super().clean()
        if self.unit_id and self.region_id and self.unit.region_id != self.region_id:
            raise ValidationError({"unit": "被评单位不属于该区划"})


class Project(Graded):
    """重点项目支出绩效评价: one third-party score for a project, funded by one or more lines."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    number = models.PositiveIntegerField("序号")
    name = models.CharField("项目名称", max_length=200)
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="主管部门",
    )
    firm = models.ForeignKey(
        Firm,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="评价机构",
    )
    note = models.CharField("备注", max_length=500, blank=True)

    score = models.DecimalField(
        "第三方机构评分",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "重点项目绩效评价"
        verbose_name_plural = "重点项目绩效评价"
        ordering = ["region", "-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "number"], name="project_number_once_per_year"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "year", "score"]),
            # The public pages: a region's released projects of a year, by 序号.
            models.Index(
                fields=["region", "year", "number"],
                condition=models.Q(state=State.RELEASED),
                name="project_public",
            ),
        ]
        permissions = [
            ("import_project", "可以导入重点项目绩效评价"),
            ("export_project", "可以导出重点项目绩效评价"),
        ]

    def __str__(self):
        return f"{self.year} #{self.number} {self.name}"

    def clean(self):
        super().clean()
        if self.unit_id and self.region_id and self.unit.region_id != self.region_id:
            raise ValidationError({"unit": "主管部门不属于该区划"})


class FundingLine(models.Model):
    """资金明细: one line of a project's funds, with the spending unit's self-evaluation score."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="funding_lines", verbose_name="项目"
    )
    position = models.PositiveSmallIntegerField("行次")
    label = models.CharField("资金明细", max_length=200)
    amount = models.DecimalField(
        "年度项目资金（万元）",
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0"))],
    )
    self_score = models.DecimalField(
        "自评得分", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "资金明细"
        verbose_name_plural = "资金明细"
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="funding_line_position_unique"
            ),
        ]

    def __str__(self):
        return self.label


class FirmRecusal(models.Model):
    """回避: a firm that may not evaluate a unit (财预〔2021〕6号, conflict of interest)."""

    firm = models.ForeignKey(
        Firm, models.CASCADE, related_name="recusals", verbose_name="第三方机构"
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="recusals", verbose_name="回避单位")
    reason = models.CharField("回避原因", max_length=200)

    class Meta:
        verbose_name = "利益冲突回避"
        verbose_name_plural = "利益冲突回避"
        constraints = [
            models.UniqueConstraint(fields=["firm", "unit"], name="recusal_once_per_pair"),
        ]

    def __str__(self):
        return f"{self.firm} 回避 {self.unit}"


class UserRole(models.Model):
    """What a login is in the workflow, and the data it is bound to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="perf_role", verbose_name="用户"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="所属单位")
    firm = models.ForeignKey(
        Firm, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属机构"
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属区划",
        help_text="财政局用户：只处理该区划的记录；留空则处理全部区划。",
    )

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def clean(self):
        if self.role == Role.FIRM and not self.firm_id:
            raise ValidationError({"firm": "第三方机构用户必须绑定一个机构"})
        if self.role != Role.FIRM and self.firm_id:
            raise ValidationError({"firm": "只有第三方机构用户绑定机构"})


class WorkflowEvent(models.Model):
    """One transition of one record: who, when, from which state to which, and why."""

    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField("操作", max_length=30)
    # Evaluations and filings have states of their own (workflow.State, FilingState): the
    # labels come from state_label(), which knows the record's kind.
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        before, after = self.state_label(self.from_state), self.state_label(self.to_state)
        return f"{self.action}: {before} → {after}"

    def state_label(self, value: str) -> str:
        """Return a state's label in the record's own workflow (evaluation or filing)."""
        if not value:
            return ""
        model = self.content_type.model_class()
        if self.content_type.model in EVALUATION_MODELS:
            states = State
        elif hasattr(model, "State"):
            states = model.State  # a record with its own states (a problem, a decision)
        else:
            states = FilingState
        return states(value).label if value in states.values else value
