"""The firm's evaluation sheet (第三方评价评分表).

The firm scores each 三级 indicator of the region's third-party framework with a short
finding (services.third_party.sheet_save); the total and its grade are computed, and once
every indicator is scored the total becomes the project's third-party score. From then on
the project's score is read-only on the project's page, which links to the sheet.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from .. import policies
from ..grading import grade_for
from ..models import Project, ThirdPartySheet
from ..selectors.targets import framework_tree
from ..services.third_party import sheet_save
from ..workflow import Role
from .filing_forms import RefusableForm
from .filings import RefusalsShown
from .results import ProjectAdmin
from .trees import leaf_paths

SHEET_URL = "admin:evaluations_thirdpartysheet_change"
STALE = "该项目在您打开之后已被他人处理（当前版本 {version}），您的评分未保存。请刷新后重新填写。"


class ScoreRow(forms.Form):
    score = forms.DecimalField(
        label="得分",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "style": "width: 6em"}),
    )
    finding = forms.CharField(
        label="评价发现", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 40})
    )


ScoreRows = forms.formset_factory(ScoreRow, extra=0)


class SheetForm(RefusableForm):
    """The sheet's summary and a score and finding per 三级 indicator of its framework.

    It remembers the project's version and the sheet's revision it was rendered with: the
    service refuses scores prepared on older ones (two evaluators at once).
    """

    project_version = forms.IntegerField(widget=forms.HiddenInput)
    sheet_revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sheet = self.instance
        self.fields["project_version"].initial = sheet.project.version
        self.fields["sheet_revision"].initial = sheet.revision
        given = {row.indicator_id: row for row in sheet.scores.all()}
        self.rows = leaf_paths(framework_tree(sheet.framework))
        self.scores = ScoreRows(
            self.data if self.is_bound else None,
            prefix="scores",
            initial=[
                {"score": given[node.pk].score, "finding": given[node.pk].finding}
                if node.pk in given
                else {}
                for _, node in self.rows
            ],
        )
        self.scored_rows = [
            (path, node, form) for (path, node), form in zip(self.rows, self.scores, strict=True)
        ]

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("project_version")
        project = self.instance.project
        if seen is not None and seen != project.version:
            raise forms.ValidationError(STALE.format(version=project.version))
        if not self.scores.is_valid():
            raise forms.ValidationError("评分填写有误，请查看下面各行的提示")
        return cleaned

    def has_changed(self):
        return super().has_changed() or self.scores.has_changed()

    def given(self) -> dict[int, tuple]:
        """Return {indicator id: (score, finding)} of every row of the sheet."""
        return {
            node.pk: (form.cleaned_data.get("score"), form.cleaned_data.get("finding", ""))
            for _, node, form in self.scored_rows
        }


class SheetAddForm(RefusableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        projects = policies.visible(self.user, Project).filter(sheet__isnull=True)
        self.fields["project"].queryset = projects


@admin.register(ThirdPartySheet)
class ThirdPartySheetAdmin(RefusalsShown):
    change_form_template = "admin/evaluations/filings/sheet_change_form.html"
    list_display = ["project", "project_state", "total", "grade", "updated_at"]
    list_select_related = ["project"]
    search_fields = ["project__name"]

    def get_queryset(self, request):
        """Return the sheets of the projects the user may see."""
        projects = policies.visible(request.user, Project)
        return ThirdPartySheet.objects.filter(project__in=projects).select_related(
            "project", "framework"
        )

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) is not None

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return policies.workflow_role(request.user) is not None
        return policies.in_scope(request.user, obj.project)

    def has_add_permission(self, request):
        return policies.acts_as(request.user, Role.FIRM)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policies.acts_as(request.user, Role.FIRM)
        return policies.can_edit_sheet(request.user, obj.project)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["project"]
        fields = ["project", "framework", "summary", "total", "grade"]
        if self.has_change_permission(request, obj):
            fields += ["project_version", "sheet_revision"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["project", "framework", "total", "grade"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = SheetAddForm if obj is None else SheetForm
        return super().get_form(request, obj, change=change, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sheet = self.get_object(request, unquote(object_id))
        if sheet is None:
            raise Http404("没有这条记录")
        problems = sheet.project.problems.select_related("created_by")
        context = {
            "editable": self.has_change_permission(request, sheet),
            "sheet_rows": self.readonly_rows(sheet),
            "sheet_grade": self.grade(sheet),
            "project_problems": problems,
            "add_problem_url": reverse("admin:evaluations_problem_add")
            + f"?project={sheet.project_id}",
            "records_problems": policies.can_record_problem(request.user, sheet.project),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def readonly_rows(self, sheet):
        given = {row.indicator_id: row for row in sheet.scores.all()}
        return [
            (path, node, given.get(node.pk))
            for path, node in leaf_paths(framework_tree(sheet.framework))
        ]

    def save_model(self, request, obj, form, change):
        if change:
            sheet_save(
                project=obj.project,
                user=request.user,
                scores=form.given(),
                summary=form.cleaned_data["summary"],
                version=form.cleaned_data["project_version"],
                revision=form.cleaned_data["sheet_revision"],
            )
            return
        sheet = sheet_save(project=obj.project, user=request.user, scores={})
        obj.pk = sheet.pk

    def save_related(self, request, form, formsets, change):
        pass  # the scores were written with the sheet, through the service

    def response_add(self, request, obj, post_url_continue=None):
        # A new sheet has no scores yet: the firm enters them next.
        self.message_user(request, f"已新建“{obj}”，请逐项评分", messages.SUCCESS)
        return HttpResponseRedirect(reverse(SHEET_URL, args=[obj.pk]))

    @admin.display(description="评价状态")
    def project_state(self, sheet):
        return sheet.project.get_state_display()

    @admin.display(description="等级")
    def grade(self, sheet):
        return grade_for(sheet.total) if sheet.total is not None else "尚未评完"


class ProjectWithSheetAdmin(ProjectAdmin):
    """The project admin, with its third-party sheet: linked from the project's page, and
    the score read-only once a sheet exists (the sheet computes it)."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields, "third_party_sheet"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        fields.append("third_party_sheet")
        if ThirdPartySheet.objects.filter(project=obj.pk).exists() and "score" not in fields:
            fields.append("score")
        return fields

    @admin.display(description="第三方评分表")
    def third_party_sheet(self, project):
        sheet = ThirdPartySheet.objects.filter(project=project.pk).first()
        if sheet is not None:
            total = sheet.total if sheet.total is not None else "尚未评完"
            return format_html(
                '<a href="{}">查看评分表（合计 {}）</a>', reverse(SHEET_URL, args=[sheet.pk]), total
            )
        return "尚无评分表（由评价机构在“第三方评价评分表”中填写）"


admin.site.unregister(Project)
admin.site.register(Project, ProjectWithSheetAdmin)
