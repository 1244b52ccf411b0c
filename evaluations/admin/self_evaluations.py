"""The self-evaluation table (项目支出绩效自评表) in the admin.

Started from an approved target (services.self_evaluations.self_evaluation_start), filled
by the department, scored by the service on every save: the computed columns (公式得分,
得分, 未达成), the total, the grade and the consistency warnings are shown, never typed.
"""

from django import forms
from django.contrib import admin
from django.db import models

from .. import policies
from ..decimals import exact
from ..models import FundingLine, SelfEvaluation, SelfEvaluationEntry
from ..services.self_evaluations import (
    ENTRY_FIELDS,
    FIELDS,
    self_evaluation_restart,
    self_evaluation_save,
    self_evaluation_start,
    self_evaluation_transition,
)
from ..workflow import Role
from .filing_forms import FilingForm, RefusableForm, Step
from .filings import EntryInline, FilingAdmin, entry_changes
from .trees import indicator_path

# After the target is adjusted, the table moves onto the version in force (§12 #15).
RESTART = Step("restart", "按调整后的目标重新生成", "草稿（按现行目标版本）")

# The levels of a stored warning (consistency.Check), as the page names them.
WARNING_LABELS = {"block": "阻止提交", "red": "红色预警", "yellow": "黄色预警"}
COMPUTED = ["execution_rate_shown", "execution_score", "total", "grade"]
TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})}}


def labelled(warnings: list[dict]) -> list[dict]:
    return [{**w, "label": WARNING_LABELS.get(w["level"], w["level"])} for w in warnings]


class LineChoice(forms.ModelChoiceField):
    def label_from_instance(self, line):
        return f"{line.project.name} — {line.label}"


class SelfEvaluationAddForm(RefusableForm):
    """Start a table: an approved target of the user's without one, and optionally the
    funding line of its key project whose self-score the table gives."""

    funding_line = LineChoice(
        FundingLine.objects.none(),
        label="对应资金明细",
        required=False,
        help_text="重点项目的资金明细：其自评得分取自本表",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        startable = policies.visible_targets(self.user).filter(
            approved_version__isnull=False, self_evaluation__isnull=True
        )
        self.fields["target"].queryset = startable.select_related("unit")
        self.fields["funding_line"].queryset = FundingLine.objects.filter(
            project__target__in=startable
        ).select_related("project")


class SelfEvaluationEntryInline(EntryInline):
    model = SelfEvaluationEntry
    fields = ["indicator_path", "target_value", "points", *ENTRY_FIELDS]
    fields += ["ceiling", "score", "missed_text"]
    readonly_fields = ["indicator_path", "target_value", "points", "ceiling", "score"]
    readonly_fields += ["missed_text"]
    formfield_overrides = TEXTAREA

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator__parent__parent")

    @admin.display(description="一级 › 二级 › 三级指标")
    def indicator_path(self, entry):
        return indicator_path(entry.indicator)

    @admin.display(description="年度指标值")
    def target_value(self, entry):
        return entry.indicator.target_text or "—"

    @admin.display(description="分值")
    def points(self, entry):
        return exact(entry.indicator.points) or "—"

    @admin.display(description="未达成")
    def missed_text(self, entry):
        return "未达成" if entry.missed else "—"


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(FilingAdmin):
    transition = staticmethod(self_evaluation_transition)
    filing_keyword = "self_evaluation"
    kind = "self_evaluation"
    inlines = [SelfEvaluationEntryInline]
    formfield_overrides = TEXTAREA
    list_display = ["target", "state", "execution_rate_shown", "total", "grade", "warning_summary"]
    list_filter = ["state", "grade", ("target__unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["target__project_name", "target__unit__name"]
    list_select_related = ["target__unit"]
    summary_fields = ("target", "total", "grade")

    def get_queryset(self, request):
        return policies.visible_filings(request.user, SelfEvaluation).select_related(
            "target__unit", "version", "funding_line"
        )

    def has_add_permission(self, request):
        return policies.acts_as(request.user, Role.DEPARTMENT) or policies.acts_as(
            request.user, Role.REVIEWER
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["target", "funding_line"]
        fields = ["target", "version", "funding_line", "state", *FIELDS, *COMPUTED]
        return [*fields, "seen_revision"] if self.editable(request, obj) else fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["target", "version", "funding_line", "state", *COMPUTED]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = SelfEvaluationAddForm if obj is None else FilingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def filing_context(self, request, evaluation):
        return {
            **super().filing_context(request, evaluation),
            "warnings": labelled(evaluation.warnings),
        }

    def known_steps(self, evaluation):
        return {**super().known_steps(evaluation), RESTART.name: RESTART}

    def allowed_steps(self, request, evaluation):
        steps = super().allowed_steps(request, evaluation)
        superseded = evaluation.version_id != evaluation.target.approved_version_id
        if superseded and policies.can_edit_filing(request.user, evaluation, evaluation.target):
            steps.append(RESTART)
        return steps

    def fire(self, request, evaluation, step, cleaned):
        if step.name == RESTART.name:
            done = self_evaluation_restart(
                self_evaluation=evaluation, user=request.user, revision=cleaned["revision"]
            )
            return f"“{done}”已改按第{done.version.number}版目标填报，请核对各项完成值"
        return super().fire(request, evaluation, step, cleaned)

    def save_model(self, request, obj, form, change):
        if change:
            return  # written with its rows, through the service (save_related)
        evaluation = self_evaluation_start(
            target=obj.target, user=request.user, funding_line=form.cleaned_data["funding_line"]
        )
        obj.pk = evaluation.pk

    def save_related(self, request, form, formsets, change):
        if change:
            entries = entry_changes(formsets, ENTRY_FIELDS)
            changes = form.changes(FIELDS)
            if changes or entries:
                self_evaluation_save(
                    self_evaluation=form.instance,
                    user=request.user,
                    changes=changes,
                    entries=entries,
                    revision=form.cleaned_data["seen_revision"],
                )

    @admin.display(description="预算执行率", ordering="execution_rate")
    def execution_rate_shown(self, evaluation):
        rate = evaluation.execution_rate
        return "—" if rate is None else f"{exact(rate)}%"

    @admin.display(description="一致性检查")
    def warning_summary(self, evaluation):
        counts = {}
        for warning in evaluation.warnings:
            counts[warning["level"]] = counts.get(warning["level"], 0) + 1
        parts = [
            f"{WARNING_LABELS[level]} {counts[level]}"
            for level in WARNING_LABELS
            if level in counts
        ]
        return "、".join(parts) or "无"
