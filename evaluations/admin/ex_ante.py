"""Ex-ante evaluation (事前绩效评估) in the admin: the bureau's templates, the assessments
and the savings figures of a region's year.

A template is kept by the bureau's reviewer (policies.can_keep_settings, the rule of
every region-or-default template); once an assessment uses it, only its name may change,
so a score keeps meaning what it meant. An assessment is filed by the department from its
approved or pending project targets and submitted; the reviewer commissions a firm or
grades it, the commissioned firm grades it, the reviewer concludes. Who sees what and
which buttons show are the policy's answers (visible_ex_ante, can_*_ex_ante); every
step goes through services.ex_ante, which asks the policy again with the row locked, so
a forged POST is refused like a hidden button.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import ex_ante, policies
from ..decimals import exact, grouped, stored_score
from ..grading import Grade
from ..models import (
    Conclusion,
    Dimension,
    ExAnteAssessment,
    ExAnteItem,
    ExAnteTemplate,
    Firm,
    WorkflowEvent,
)
from ..selectors.ex_ante import fileable_targets, grade_sheet, savings_summary
from ..services.ex_ante import (
    ex_ante_commission,
    ex_ante_conclude,
    ex_ante_file,
    ex_ante_grade,
    ex_ante_submit,
    ex_ante_update,
    gate_problem,
    template_for,
)
from ..services.workflow import Conflict, WorkflowError
from ..workflow import Role
from .filing_forms import FilingForm, RefusableForm
from .filings import RefusalsShown
from .settings import RegionSettingsAdmin

State = ExAnteAssessment.State
TEMPLATE_TOTAL = Decimal(100)
SHARES = ("excellent_share", "good_share", "fair_share", "poor_share")
EVENT_LABELS = {
    "ex_ante_file": "填报事前绩效评估",
    "ex_ante_submit": "提交评估",
    "ex_ante_commission": "委托评估",
    "ex_ante_grade": "评分完成",
    "ex_ante_conclude": "出具评估结论",
}


def _used(template: ExAnteTemplate) -> int:
    """Return how many assessments use the template (counted once per page)."""
    if template.pk is None:
        return 0
    if not hasattr(template, "_used"):
        template._used = ExAnteAssessment.objects.filter(template=template).count()
    return template._used


# -- templates ------------------------------------------------------------------------------


class TemplateForm(forms.ModelForm):
    user = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        if "region" in self.fields:
            probe = ExAnteTemplate(region=cleaned.get("region"))
            if not policies.can_keep_settings(self.user, probe):
                self.add_error("region", "您只能设置本区划的模板；默认模板由系统管理员设置")
        mark = cleaned.get("pass_mark")
        if mark is not None and not 0 <= mark <= TEMPLATE_TOTAL:
            self.add_error("pass_mark", "通过分数线须在 0 至 100 之间")
        shares = [cleaned.get(name) for name in SHARES if name in self.fields]
        if None not in shares and shares != sorted(shares, reverse=True):
            raise forms.ValidationError("得分比例须为 优 ≥ 良 ≥ 中 ≥ 差")
        return cleaned


class ItemFormSet(forms.BaseInlineFormSet):
    """The sub-items must cover the five dimensions and add up to 100 points."""

    editable = True  # set per request by the inline: a used template's rows are read-only

    def clean(self):
        super().clean()
        if not self.editable or any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        total = sum((row["points"] for row in kept), Decimal(0))
        if total != TEMPLATE_TOTAL:
            raise forms.ValidationError(f"各评估要点分值合计须为 100 分，现为 {exact(total)} 分")
        missing = [d.label for d in Dimension if d not in {row["dimension"] for row in kept}]
        if missing:
            raise forms.ValidationError(f"以下评估维度还没有评估要点：{'、'.join(missing)}")


class ItemInline(admin.TabularInline):
    model = ExAnteItem
    formset = ItemFormSet
    fields = ["position", "dimension", "name", "points"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.editable = self.has_change_permission(request, obj)
        return formset

    def get_extra(self, request, obj=None, **kwargs):
        # A new template is written with its sub-items: two rows per dimension to start.
        return 0 if obj is not None else 2 * len(Dimension)

    def has_view_permission(self, request, obj=None):
        return policies.workflow_role(request.user) in policies.BUREAU

    def has_add_permission(self, request, obj=None):
        return policies.can_keep_settings(request.user, obj) and not (obj and _used(obj))

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(ExAnteTemplate)
class ExAnteTemplateAdmin(RegionSettingsAdmin):
    form = TemplateForm
    inlines = [ItemInline]
    list_display = ["name", "region_or_default", "year", "pass_mark", "major_amount", "points"]
    list_select_related = ["region"]
    fields = [
        "name",
        "region",
        "year",
        "pass_mark",
        "major_amount",
        *SHARES,
        "adjusted_passes",
        "total_points",
        "use_count",
    ]

    def get_queryset(self, request):
        """Return the default templates and those of the user's regions, with their points."""
        return super().get_queryset(request).annotate(points_sum=Sum("items__points"))

    def has_delete_permission(self, request, obj=None):
        # The default template answers when a region has none: it is never deleted.
        if obj is None or (obj.region_id is None and obj.year is None):
            return False
        return policies.can_keep_settings(request.user, obj) and not _used(obj)

    def get_readonly_fields(self, request, obj=None):
        fixed = ["total_points", "use_count"]
        if obj is not None and _used(obj):
            fixed += [name for name in self.fields if name != "name"]
        return fixed

    def change_view(self, request, object_id, form_url="", extra_context=None):
        template = self.get_object(request, unquote(object_id))
        if template is None:
            raise Http404("没有这条记录")
        if request.method == "GET" and (count := _used(template)):
            self.message_user(
                request,
                f"该模板已被 {count} 项事前绩效评估使用：除名称外不能再修改，"
                "以免已算出的得分失去依据；规则有变请为该年度新建模板",
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="区划", ordering="region")
    def region_or_default(self, template):
        return template.region or "默认（所有区划）"

    @admin.display(description="合计分值")
    def points(self, template):
        return exact(stored_score(template.points_sum)) or "—"

    @admin.display(description="合计分值")
    def total_points(self, template):
        if template.pk is None:
            return "保存后显示"
        total = sum((item.points for item in template.items.all()), Decimal(0))
        return f"{exact(total)} 分（应为 100 分）"

    @admin.display(description="使用情况")
    def use_count(self, template):
        count = _used(template)
        return f"已被 {count} 项评估使用，规则已锁定" if count else "尚未使用"


# -- assessments: the forms -----------------------------------------------------------------


class FileForm(RefusableForm):
    """A new assessment: the project target, the funds requested and why."""

    class Meta:
        model = ExAnteAssessment
        fields = ["target", "requested", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = fileable_targets(self.user)
        self.fields["target"].help_text = "本部门已批复或正在申报的项目绩效目标"


class EditForm(FilingForm):
    """The department's draft: funds requested and the case for the project."""

    class Meta:
        model = ExAnteAssessment
        fields = ["requested", "summary"]


class RevisionForm(forms.Form):
    """A step's confirmation, posted with the revision the user saw."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = assessment.revision


class CommissionForm(RevisionForm):
    firm = forms.ModelChoiceField(
        label="受托第三方机构",
        queryset=Firm.objects.all(),
        required=False,
        empty_label="不委托：财政局自行评估",
    )
    field_order = ["firm", "revision"]

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, assessment=assessment, **kwargs)
        self.fields["firm"].initial = assessment.firm_id


class ConcludeForm(RevisionForm):
    conclusion = forms.ChoiceField(
        label="评估结论", choices=Conclusion.choices, widget=forms.RadioSelect
    )
    supported = forms.DecimalField(
        label="核定资金（万元）",
        max_digits=18,
        decimal_places=6,
        min_value=0,
        required=False,
        help_text="予以支持：等于申请资金；调整后支持：核定的资金；不予支持：留空",
    )
    opinion = forms.CharField(label="评估意见", widget=forms.Textarea(attrs={"rows": 5}))
    field_order = ["conclusion", "supported", "opinion", "revision"]

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, assessment=assessment, **kwargs)
        self.fields["supported"].initial = assessment.requested


class GradeForm(RevisionForm):
    """One 优/良/中/差 select and a note per sub-item of the assessment's template."""

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, assessment=assessment, **kwargs)
        self.sheet = grade_sheet(assessment)
        choices = [("", "—"), *Grade.choices]
        for group in self.sheet:
            for row in group.rows:
                pk = row.item.pk
                self.fields[f"grade_{pk}"] = forms.ChoiceField(
                    label=row.item.name, choices=choices, required=False
                )
                self.fields[f"note_{pk}"] = forms.CharField(
                    label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
                if row.grade is not None:
                    self.fields[f"grade_{pk}"].initial = row.grade.grade
                    self.fields[f"note_{pk}"].initial = row.grade.note
                row.grade_field, row.note_field = f"grade_{pk}", f"note_{pk}"

    def rows(self):
        """Return the sheet with each row's bound fields, for the page."""
        for group in self.sheet:
            for row in group.rows:
                row.grade_input, row.note_input = self[row.grade_field], self[row.note_field]
        return self.sheet

    def clean(self):
        cleaned = super().clean()
        for group in self.sheet:
            for row in group.rows:
                if cleaned.get(row.note_field) and not cleaned.get(row.grade_field):
                    self.add_error(row.grade_field, "填写说明的要点须选择等级")
        return cleaned

    def grades(self) -> dict[int, tuple[str, str]]:
        """Return {item id: (grade, note)} of the sub-items given a grade."""
        data = self.cleaned_data
        return {
            row.item.pk: (data[row.grade_field], data[row.note_field])
            for group in self.sheet
            for row in group.rows
            if data.get(row.grade_field)
        }


@dataclass(frozen=True)
class Step:
    """A button on an assessment's page: who may take it (the policy), its form, and the
    service call it makes."""

    name: str
    label: str
    allowed: object  # policies.can_*_ex_ante(user, assessment)
    form: type
    fire: object  # (assessment, user, cleaned data, form) -> message


def _submit(assessment, user, data, form):
    done = ex_ante_submit(assessment=assessment, user=user, revision=data["revision"])
    return f"“{done}”已提交财政局评估"


def _commission(assessment, user, data, form):
    done = ex_ante_commission(
        assessment=assessment, user=user, firm=data["firm"], revision=data["revision"]
    )
    return f"“{done}”由{done.firm or '财政局'}评估"


def _grade(assessment, user, data, form):
    done = ex_ante_grade(
        assessment=assessment, user=user, grades=form.grades(), revision=data["revision"]
    )
    if done.state == State.SCORED:
        return f"“{done}”各要点已评分，评估得分 {done.total} 分，待财政局出具结论"
    return f"“{done}”评分已保存，尚有要点未评分"


def _conclude(assessment, user, data, form):
    done = ex_ante_conclude(
        assessment=assessment,
        user=user,
        conclusion=data["conclusion"],
        supported=data["supported"],
        opinion=data["opinion"],
        revision=data["revision"],
    )
    return f"“{done}”评估结论：{done.get_conclusion_display()}"


STEPS = {
    step.name: step
    for step in (
        Step("submit", "提交评估", policies.can_edit_ex_ante, RevisionForm, _submit),
        Step(
            "commission", "委托评估", policies.can_commission_ex_ante, CommissionForm, _commission
        ),
        Step("grade", "评分", policies.can_grade_ex_ante, GradeForm, _grade),
        Step("conclude", "出具结论", policies.can_conclude_ex_ante, ConcludeForm, _conclude),
    )
}


def gate_text(target) -> str:
    """Return the project's gate status as the reviewer reads it."""
    try:
        problem = gate_problem(target)
        needed = ex_ante.needs_assessment(
            target, template_for(region=target.region, year=target.year)
        )
    except WorkflowError as exc:
        return str(exc)
    if problem:
        return f"未通过：{problem}"
    return "已通过，可批复绩效目标、纳入评价" if needed else "该项目无须事前绩效评估"


def events(assessment) -> list[dict]:
    """Return the assessment's workflow events, newest first, labelled."""
    found = WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(ExAnteAssessment),
        object_id=assessment.pk,
    ).select_related("actor")
    label = dict(State.choices)
    return [
        {
            "event": event,
            "label": EVENT_LABELS.get(event.action, event.action),
            "from": label.get(event.from_state, "—"),
            "to": label.get(event.to_state, event.to_state),
        }
        for event in found
    ]


class SavingsForm(forms.Form):
    region = forms.ModelChoiceField(label="区划", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = policies.visible_regions(user)


# -- assessments: the admin -----------------------------------------------------------------


@admin.register(ExAnteAssessment)
class ExAnteAssessmentAdmin(RefusalsShown):
    change_form_template = "admin/evaluations/ex_ante/change_form.html"
    change_list_template = "admin/evaluations/ex_ante/change_list.html"
    list_display = [
        "project",
        "unit",
        "year",
        "state",
        "total",
        "conclusion",
        "requested_exact",
        "supported_exact",
        "assessor",
        "passes",
    ]
    list_filter = ["state", "conclusion", "target__year"]
    search_fields = ["target__project_name", "target__unit__name"]
    shown = [
        "target",
        "template",
        "state",
        "requested",
        "summary",
        "firm",
        "total",
        "conclusion",
        "supported",
        "opinion",
        "submitted_at",
        "concluded_at",
        "concluded_by",
    ]

    def get_queryset(self, request):
        return policies.visible_ex_ante(request.user).select_related(
            "target__unit", "target__region", "template", "firm", "concluded_by"
        )

    # -- permissions: the policy's answers ----------------------------------------------------

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) is not None

    def has_view_permission(self, request, obj=None):
        return policies.workflow_role(request.user) is not None

    def has_add_permission(self, request):
        return policies.acts_as(request.user, Role.DEPARTMENT)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policies.acts_as(request.user, Role.DEPARTMENT)
        return policies.can_edit_ex_ante(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def record_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("没有这条记录")
        return obj

    # -- the forms ------------------------------------------------------------------------------

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["target", "requested", "summary"]
        if self.has_change_permission(request, obj):
            return ["target", "template", "state", "requested", "summary", "seen_revision"]
        return self.shown

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if self.has_change_permission(request, obj):
            return ["target", "template", "state"]
        return self.shown

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = FileForm
        elif self.has_change_permission(request, obj):
            kwargs["form"] = EditForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.filing = obj if obj is not None and self.has_change_permission(request, obj) else None
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            ex_ante_update(
                assessment=form.filing,
                user=request.user,
                requested=data["requested"],
                summary=data["summary"],
                revision=data["seen_revision"],
            )
            return
        filed = ex_ante_file(
            target=data["target"],
            user=request.user,
            requested=data["requested"],
            summary=data["summary"],
        )
        obj.pk = filed.pk

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, f"已填报“{obj}”（草稿），请核对后提交评估", messages.SUCCESS)
        return HttpResponseRedirect(self.url("change", obj.pk))

    # -- the change page ------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.record_or_404(request, object_id)
        context = {
            "assessment": obj,
            "state_label": obj.get_state_display(),
            "steps": [
                {"name": s.name, "label": s.label, "url": self.url("step", obj.pk, s.name)}
                for s in STEPS.values()
                if s.allowed(request.user, obj)
            ],
            "sheet": grade_sheet(obj),
            "gate": gate_text(obj.target),
            "events": events(obj),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    # -- steps, and the savings figures ---------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "savings/",
                view(self.savings_view),
                name="{}_{}_savings".format(*info),
            ),
            path(
                "<path:object_id>/step/<str:name>/",
                view(self.step_view),
                name="{}_{}_step".format(*info),
            ),
            *super().get_urls(),
        ]

    def url(self, view, *args):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_{}".format(*info, view), args=args)

    def step_view(self, request, object_id, name):
        """Show a step's form (GET) and take it through the service (POST).

        A valid POST goes to the service, which asks the policy with the row locked; the
        form is shown (again) only to whom the policy gives the step.
        """
        obj = self.record_or_404(request, object_id)
        step = STEPS.get(name)
        if step is None:
            raise Http404("没有这个操作")
        form = step.form(request.POST or None, assessment=obj)
        if request.method == "POST" and form.is_valid():
            try:
                message = step.fire(obj, request.user, form.cleaned_data, form)
            except Conflict as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(self.url("change", obj.pk))
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(self.url("change", obj.pk))
        if not step.allowed(request.user, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"{step.label}：{obj}",
            "opts": self.opts,
            "assessment": obj,
            "step": step,
            "form": form,
            "change_url": self.url("change", obj.pk),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        template = "grade.html" if name == "grade" else "step.html"
        return TemplateResponse(request, f"admin/evaluations/ex_ante/{template}", context)

    def savings_view(self, request):
        """The savings figures of a region's year: assessed, concluded how, funds saved."""
        if policies.workflow_role(request.user) not in policies.BUREAU:
            raise PermissionDenied
        form = SavingsForm(request.GET or None, user=request.user)
        summary = None
        if form.is_valid():
            summary = savings_summary(
                region=form.cleaned_data["region"],
                year=form.cleaned_data["year"],
                assessments=policies.visible_ex_ante(request.user),
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "事前绩效评估节约资金统计",
            "opts": self.opts,
            "form": form,
            "summary": summary,
            "money": {
                name: grouped(getattr(summary, name))
                for name in ("requested", "supported", "saved")
            }
            if summary
            else {},
            "region": form.cleaned_data["region"] if summary else None,
            "year": form.cleaned_data["year"] if summary else None,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/evaluations/ex_ante/savings.html", context)

    def changelist_view(self, request, extra_context=None):
        context = {
            "savings_url": self.url("savings")
            if policies.workflow_role(request.user) in policies.BUREAU
            else "",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # -- the list -------------------------------------------------------------------------------

    @admin.display(description="项目名称", ordering="target__project_name")
    def project(self, assessment):
        return assessment.target.project_name

    @admin.display(description="主管部门", ordering="target__unit__name")
    def unit(self, assessment):
        return assessment.target.unit

    @admin.display(description="年度", ordering="target__year")
    def year(self, assessment):
        return assessment.target.year

    @admin.display(description="申请资金（万元）", ordering="requested")
    def requested_exact(self, assessment):
        return exact(assessment.requested)

    @admin.display(description="核定资金（万元）", ordering="supported")
    def supported_exact(self, assessment):
        return exact(assessment.supported) or "—"

    @admin.display(description="评估方")
    def assessor(self, assessment):
        return assessment.firm or "财政局"

    @admin.display(description="评估是否通过")
    def passes(self, assessment):
        if assessment.state != State.CONCLUDED:
            return "—"
        return "通过" if not ex_ante.failure(assessment, assessment.template) else "未通过"
