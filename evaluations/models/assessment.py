"""The yearly assessment of each department's performance-management work (绩效管理工作考核).

The score is computed from what the system already holds (evaluations.assessment states
each rule); a region's template sets each rule's points and the due dates; the bureau may
adjust a computed score with a reason. The ranking goes to the district's supervision
bureau (督办督查局) as an xlsx.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from .results import YEAR_VALIDATORS, Region, Unit
from .targets import POINTS

WEIGHT = {**POINTS, "validators": [MinValueValidator(0)]}


class AssessmentTemplate(models.Model):
    """考核规则: each rule's points and the due dates it is judged against."""

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
        "考核年度", null=True, blank=True, validators=YEAR_VALIDATORS, help_text="留空为各年通用"
    )
    targets_on_time = models.DecimalField("绩效目标按时申报", **WEIGHT, default=Decimal(15))
    target_quality = models.DecimalField("绩效目标审核等级", **WEIGHT, default=Decimal(15))
    monitoring_on_time = models.DecimalField("绩效监控按时报送", **WEIGHT, default=Decimal(15))
    self_evaluation_on_time = models.DecimalField("绩效自评按时完成", **WEIGHT, default=Decimal(15))
    self_evaluation_consistent = models.DecimalField(
        "自评结果真实一致", **WEIGHT, default=Decimal(10)
    )
    rectification_on_time = models.DecimalField("问题按期整改", **WEIGHT, default=Decimal(20))
    disclosure = models.DecimalField("评价结果公开", **WEIGHT, default=Decimal(10))
    target_due = models.DateField("绩效目标申报截止日", null=True, blank=True)
    self_evaluation_due = models.DateField("绩效自评截止日", null=True, blank=True)

    class Meta:
        verbose_name = "绩效管理工作考核规则"
        verbose_name_plural = "绩效管理工作考核规则"
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="assessment_template_once"),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(year__isnull=True),
                name="assessment_template_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(region__isnull=True),
                name="assessment_template_once_per_year",
            ),
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(region__isnull=True, year__isnull=True),
                name="assessment_template_one_default",
            ),
        ]

    def __str__(self):
        where = self.region.name if self.region_id else "默认"
        return f"{where}{f' {self.year}年' if self.year else ''}考核规则"


class DepartmentAssessment(models.Model):
    """One unit's assessment for one year: the computed score, its breakdown, any
    adjustment by the bureau with its reason."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("考核年度", validators=YEAR_VALIDATORS)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="assessments", verbose_name="被考核单位"
    )
    computed = models.DecimalField("计算得分", **POINTS, editable=False)
    breakdown = models.JSONField("得分明细", default=list, editable=False)
    adjustment = models.DecimalField("调整分", **POINTS, default=Decimal(0))
    adjustment_reason = models.TextField("调整理由", blank=True)
    score = models.DecimalField("考核得分", **POINTS, editable=False)
    computed_at = models.DateTimeField("计算时间", editable=False)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="调整人",
    )
    revision = models.PositiveIntegerField("修订号", default=1, editable=False)

    class Meta:
        verbose_name = "绩效管理工作考核"
        verbose_name_plural = "绩效管理工作考核"
        ordering = ["region", "-year", "-score", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "unit"], name="assessment_once"),
        ]

    def __str__(self):
        return f"{self.year} {self.unit} 绩效管理工作考核"
