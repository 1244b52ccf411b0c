"""Performance targets (绩效目标) in the admin: filed by the department, reviewed by the
bureau with a grade, adjusted only through a new version with a reason.

A target's page works on its latest version: editable (goal, funds, 三级 indicators)
while the policy leaves it to the department, read-only otherwise; its buttons are the
policy's (submit, the bureau's review, an adjustment of the approved version). Every
version stays on record and can be opened read-only.
"""

from datetime import datetime
from decimal import Decimal

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.timezone import localtime

from .. import (
    converters,  # noqa: F401  (registers <id:…>, <year:…>)
    policies,
)
from ..decimals import exact
from ..models import PerformanceTarget, TargetVersion
from ..selectors.targets import pending_versions, version_tree
from ..services.targets import (
    VERSION_FIELDS,
    target_adjust,
    target_create,
    target_review,
    target_submit,
    target_version_update,
    version_problems,
)
from ..workflow import FILING_EDITABLE, FILING_TRANSITIONS, TARGET_REVIEW, FilingState, Role
from .filing_forms import FilingForm, Step, StepForm, transition_step
from .filings import FilingAdmin, filing_events
from .target_forms import ReviewForm, TargetAddForm, TargetEditForm
from .trees import sections

TARGET_FIELDS = [
    "region",
    "year",
    "unit",
    "scope",
    "project_name",
    "project_code",
    "implementing_unit",
    "attribute",
    "evaluation",
    "approved_version",
]
ADD_FIELDS = [
    "unit",
    "year",
    "scope",
    "project_name",
    "project_code",
    "implementing_unit",
    "attribute",
    "evaluation",
    *VERSION_FIELDS,
]
REVIEW = Step("review", "审核", "按审核等级：优、良审核通过；中退回修改；差不予安排")
ADJUST = Step(
    "adjust",
    "调整目标",
    "新版本（草稿）；新版本批复前，已批复的版本继续执行",
    needs_comment=True,
    comment_label="调整原因",
)
REVIEW_TRANSITIONS = set(TARGET_REVIEW.values())
SHOWN_FIELDS = [*VERSION_FIELDS, "reason", "state", "review_grade", "review_comment"]
SHOWN_FIELDS += ["submitted_at", "approved_at"]


def version_rows(version: TargetVersion) -> list[tuple[str, str]]:
    """Return (label, text) of a version's goal, funds, reason and review, as shown."""
    rows = []
    for name in SHOWN_FIELDS:
        field = TargetVersion._meta.get_field(name)
        value = getattr(version, name)
        if isinstance(value, Decimal):
            value = exact(value)
        elif isinstance(value, datetime):
            value = localtime(value).strftime("%Y-%m-%d %H:%M")
        elif field.choices:
            value = getattr(version, f"get_{name}_display")()
        rows.append((field.verbose_name, value if value not in (None, "") else "—"))
    return rows


def latest(field: str):
    return Subquery(
        TargetVersion.objects.filter(target=OuterRef("pk")).order_by("-number").values(field)[:1]
    )


class WorkingStateFilter(admin.SimpleListFilter):
    title = "最新版本状态"
    parameter_name = "working_state"

    def lookups(self, request, model_admin):
        return FilingState.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(working_state=self.value())
        return queryset


@admin.register(PerformanceTarget)
class PerformanceTargetAdmin(FilingAdmin):
    kind = "target"
    change_form_template = "admin/evaluations/filings/target_change_form.html"
    list_display = [
        "unit",
        "year",
        "scope",
        "target_name",
        "working",
        "approved_number",
        "region",
    ]
    list_display_links = ["unit", "target_name"]
    list_filter = [
        WorkingStateFilter,
        ("region", admin.RelatedOnlyFieldListFilter),
        "year",
        "scope",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["project_name"]
    list_select_related = ["unit", "region", "approved_version"]
    summary_fields = ("unit", "year", "scope", "project_name")

    # -- scope, and the version worked on ------------------------------------------------

    def get_queryset(self, request):
        """Return the targets the policy lets the user see, with their latest version."""
        queryset = policies.visible_targets(request.user).annotate(
            working_state=latest("state"), working_number=latest("number")
        )
        return queryset.order_by(*(self.get_ordering(request) or PerformanceTarget._meta.ordering))

    def filing_of(self, target):
        """Return the target's latest version: the one being filed, or the one in force."""
        if not hasattr(target, "_working_version"):
            target._working_version = (
                target.versions.select_related("framework").order_by("-number").first()
            )
        return target._working_version

    def target_of(self, target):
        return target

    def has_add_permission(self, request):
        """Return True for who files targets: departments, and the reviewer (historical)."""
        return policies.acts_as(request.user, Role.DEPARTMENT) or policies.acts_as(
            request.user, Role.REVIEWER
        )

    # -- steps: submit, review with a grade, adjust with a reason ------------------------

    def known_steps(self, target):
        return {
            "submit": transition_step(FILING_TRANSITIONS["submit"]),
            "review": REVIEW,
            "adjust": ADJUST,
        }

    def allowed_steps(self, request, target):
        version = self.filing_of(target)
        names = {
            t.name for t in policies.filing_transitions(request.user, "target", version, target)
        }
        steps = []
        if "submit" in names:
            steps.append(transition_step(FILING_TRANSITIONS["submit"]))
        if names & REVIEW_TRANSITIONS:
            steps.append(REVIEW)
        if (
            policies.can_adjust_target(request.user, target)
            and not pending_versions(target).exists()
        ):
            steps.append(ADJUST)
        return steps

    def step_form(self, target, step, data):
        version = self.filing_of(target)
        if step is REVIEW:
            return ReviewForm(data, step=step, revision=version.revision)
        if step is ADJUST:
            return StepForm(data, step=step, revision=None)
        return StepForm(data, step=step, revision=version.revision)

    def fire(self, request, target, step, cleaned):
        version, user = self.filing_of(target), request.user
        if step is ADJUST:
            new = target_adjust(target=target, user=user, reason=cleaned["comment"])
            return f"已新建{new}（草稿），请修改后提交审核"
        if step is REVIEW:
            done = target_review(
                version=version,
                user=user,
                grade=cleaned["grade"],
                comment=cleaned["comment"],
                revision=cleaned["revision"],
            )
            return f"“{done}”审核等级“{done.review_grade}”：{done.get_state_display()}"
        done = target_submit(version=version, user=user, revision=cleaned["revision"])
        return f"“{done}”已提交审核"

    def problems(self, target):
        version = self.filing_of(target)
        return version_problems(version) if version.state in FILING_EDITABLE else []

    def summary(self, target):
        version = self.filing_of(target)
        return [*super().summary(target), ("版本", f"第{version.number}版")]

    def events(self, target):
        numbers = dict(target.versions.values_list("pk", "number"))
        events = filing_events(TargetVersion, numbers)
        for item in events:
            item["version"] = f"第{numbers[item['event'].object_id]}版"
        return events

    # -- the forms ---------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                ("绩效目标", {"fields": ADD_FIELDS[: -len(VERSION_FIELDS)]}),
                ("年度目标与资金", {"fields": list(VERSION_FIELDS)}),
            ]
        fieldsets = [("绩效目标", {"fields": TARGET_FIELDS})]
        if self.editable(request, obj):
            number = self.filing_of(obj).number
            fields = [*VERSION_FIELDS, "seen_revision"]
            fieldsets.append((f"第{number}版：年度目标与资金", {"fields": fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return TARGET_FIELDS if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TargetAddForm
        elif self.editable(request, obj):
            kwargs["form"] = TargetEditForm
        else:
            kwargs["form"] = FilingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # written with its indicators, through the service (save_related)
        data = form.cleaned_data
        target = target_create(
            user=request.user,
            region=obj.region,
            year=data["year"],
            unit=data["unit"],
            scope=data["scope"],
            project_name=data["project_name"],
            project_code=data["project_code"],
            implementing_unit=data["implementing_unit"],
            attribute=data["attribute"],
            evaluation=data["evaluation"],
            **form.version_values(),
        )
        obj.pk = target.pk

    def save_related(self, request, form, formsets, change):
        if change:
            changes = form.changes(VERSION_FIELDS)
            tree = form.tree()
            if changes or tree is not None:
                target_version_update(
                    version=form.filing,
                    user=request.user,
                    changes=changes,
                    tree=tree,
                    revision=form.cleaned_data["seen_revision"],
                )
        super().save_related(request, form, formsets, change)

    # -- the change page and the versions ------------------------------------------------

    def filing_context(self, request, target):
        version = self.filing_of(target)
        versions = list(target.versions.order_by("-number"))
        return {
            **super().filing_context(request, target),
            "version": version,
            "version_rows": version_rows(version),
            "version_sections": sections(version_tree(version)),
            "versions": [
                {"version": v, "url": self.version_url(target, v.number)} for v in versions
            ],
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/versions/<id:number>/",
                self.admin_site.admin_view(self.version_view),
                name="{}_{}_version".format(*info),
            ),
            *super().get_urls(),
        ]

    def version_url(self, target, number):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_version".format(*info), args=[target.pk, number])

    def version_view(self, request, object_id, number):
        """Show one version of the target as it was filed, read-only."""
        target = self.record_or_404(request, object_id)
        version = target.versions.select_related("created_by").filter(number=number).first()
        if version is None:
            raise Http404("没有这个版本")
        events = filing_events(TargetVersion, [version.pk])
        context = {
            **self.admin_site.each_context(request),
            "title": f"{target} 第{version.number}版",
            "opts": self.opts,
            "target": target,
            "version": version,
            "version_rows": version_rows(version),
            "version_sections": sections(version_tree(version)),
            "events": events,
            "change_url": self.change_url(target),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/evaluations/filings/target_version.html", context)

    # -- the list --------------------------------------------------------------------------

    @admin.display(description="项目名称", ordering="project_name")
    def target_name(self, target):
        return target.project_name or "部门整体支出"

    @admin.display(description="最新版本", ordering="working_state")
    def working(self, target):
        if target.working_state is None:
            return "—"
        return f"第{target.working_number}版 {FilingState(target.working_state).label}"

    @admin.display(description="执行中的版本")
    def approved_number(self, target):
        version = target.approved_version
        return f"第{version.number}版" if version is not None else "尚未批复"
