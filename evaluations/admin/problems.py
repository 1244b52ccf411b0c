"""Problems (问题) evaluations find, as items of their own: the firm records them while it
scores a project, the bureau's reviewer on its region's projects
(services.third_party.problem_record). The department sees its units' problems, the firm
its projects', the bureau its region's; their rectification is admin.rectification.
"""

from django.contrib import admin

from .. import policies
from ..models import Problem, Project
from ..services.third_party import problem_record
from ..workflow import Role
from .filing_forms import RefusableForm
from .rectification import RectificationAdmin

RECORDED = ["project", "description"]


class ProblemAddForm(RefusableForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].required = True
        self.fields["project"].queryset = policies.visible(self.user, Project)


@admin.register(Problem)
class ProblemAdmin(RectificationAdmin):
    def has_add_permission(self, request):
        return policies.acts_as(request.user, Role.FIRM) or policies.acts_as(
            request.user, Role.REVIEWER
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": RECORDED})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ProblemAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        problem = problem_record(
            user=request.user,
            project=form.cleaned_data["project"],
            description=form.cleaned_data["description"],
        )
        obj.pk = problem.pk
