"""Problems (问题) evaluations find, as items of their own: the firm records them while it
scores a project, the bureau's reviewer on its region's projects
(services.third_party.problem_record). The department sees its units' problems, the firm
its projects', the bureau its region's; rectification tracks them later.
"""

from django.contrib import admin

from .. import policies
from ..models import Problem, Project
from ..services.third_party import problem_record
from ..workflow import Role
from .filing_forms import RefusableForm
from .filings import RefusalsShown


class ProblemAddForm(RefusableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].required = True
        self.fields["project"].queryset = policies.visible(self.user, Project)


@admin.register(Problem)
class ProblemAdmin(RefusalsShown):
    list_display = ["short", "unit", "project", "year", "source", "created_by", "created_at"]
    list_filter = ["year", "source", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["description", "project__name", "unit__name"]
    list_select_related = ["unit", "project", "created_by"]
    fields = ["project", "description"]

    def get_queryset(self, request):
        return policies.visible_problems(request.user).select_related(
            "unit", "project", "created_by"
        )

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) is not None

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return policies.workflow_role(request.user) is not None
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return policies.acts_as(request.user, Role.FIRM) or policies.acts_as(
            request.user, Role.REVIEWER
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["project", "description"]
        return [
            "region",
            "year",
            "unit",
            "project",
            "source",
            "description",
            "created_by",
            "created_at",
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ProblemAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        problem = problem_record(
            user=request.user,
            project=form.cleaned_data["project"],
            description=form.cleaned_data["description"],
        )
        obj.pk = problem.pk

    @admin.display(description="问题描述")
    def short(self, problem):
        return str(problem)
