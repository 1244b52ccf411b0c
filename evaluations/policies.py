"""The permission policy: the one place that says who may do what with which records.

The admin, the importer (admin and command line), the exports, the JSON endpoints and
the public pages all ask this module; none of them decides on its own. The workflow table
(evaluations.workflow) says which role fires which transition in which state; this module
adds the data scope: a department acts on its own units' records, a firm on the records
assigned to it, the bureau on its region's.
"""

from django.db.models import Q, QuerySet

from .models import (
    BudgetDecision,
    DepartmentAssessment,
    ExAnteAssessment,
    FundingLine,
    MonitoringPeriod,
    MonitoringReport,
    PerformanceTarget,
    Problem,
    Project,
    Region,
    SelfEvaluation,
    ThirdPartySheet,
    Unit,
    UnitEvaluation,
    UserRole,
)
from .workflow import (
    EDITABLE,
    FILING_EDITABLE,
    FILING_KINDS,
    FILING_TRANSITIONS,
    TRANSITIONS,
    FilingState,
    Role,
    State,
    Transition,
)

RESULT_MODELS = (UnitEvaluation, Project)
BUREAU = (Role.REVIEWER, Role.PUBLISHER)
# A firm sees a record once the bureau has assigned it, and keeps seeing its own work.
FIRM_VISIBLE = (
    State.ASSIGNED,
    State.RETURNED_TO_FIRM,
    State.SCORED,
    State.APPROVED,
    State.RELEASED,
)
LOCKED = (State.APPROVED, State.RELEASED)


def _codename(action: str, model) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def role_of(user) -> UserRole | None:
    """Return the user's workflow role, None for the anonymous and for plain staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_perf_role"):
        role = UserRole.objects.filter(user=user).first()
        if role is not None:
            role.unit_ids = set(role.units.values_list("pk", flat=True))
        user._perf_role = role
    return user._perf_role


def _scoped(queryset, user, *, unit="unit", firm=None) -> QuerySet:
    """Return the part of the queryset in the user's scope: the bureau its region's (all
    regions unbound), a department its units', a firm (given its lookup) its own."""
    if user is not None and user.is_active and user.is_superuser:
        return queryset
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role.role in BUREAU:
        return queryset.filter(region=role.region) if role.region_id else queryset
    if role.role == Role.DEPARTMENT:
        return queryset.filter(**{f"{unit}__in": role.unit_ids})
    if role.role == Role.FIRM and firm is not None:
        return queryset.filter(**firm(role))
    return queryset.none()


def visible(user, model) -> QuerySet:
    """Return the records of a result model (UnitEvaluation or Project) the user may see."""
    return _scoped(
        model.objects.all(),
        user,
        firm=lambda role: {"firm": role.firm_id, "state__in": FIRM_VISIBLE},
    )


def workflow_role(user) -> str | None:
    """Return the role the user works in: their own; a superuser works as the reviewer."""
    role = role_of(user)
    if role is not None:
        return role.role
    if user is not None and user.is_active and user.is_superuser:
        return Role.REVIEWER
    return None


def edits_in_some_state(user) -> bool:
    """Return True if the user's role may change some field of a record in some state."""
    role = workflow_role(user)
    return role is not None and bool(EDITABLE[role][1])


def visible_units(user) -> QuerySet[Unit]:
    """Return the units the user works with: the bureau its region's, a department its own.

    Recusals are kept for these units only; a firm or an unbound login has none.
    """
    return _scoped(Unit.objects.all(), user, unit="pk")


def _holds(user, record, *, firm_holds=None) -> bool:
    """Return True if the record lies in the user's scope: the rule of _scoped() on one
    record (firm_holds(role, record) answers for a firm, which otherwise holds nothing)."""
    if user is not None and user.is_active and user.is_superuser:
        return True
    role = role_of(user)
    if role is None:
        return False
    if role.role in BUREAU:
        return not role.region_id or role.region_id == record.region_id
    if role.role == Role.DEPARTMENT:
        return record.unit_id in role.unit_ids
    if role.role == Role.FIRM and firm_holds is not None:
        return firm_holds(role, record)
    return False


def in_scope(user, record) -> bool:
    """Return True if the record lies in the user's data scope (the rule of visible())."""
    return _holds(
        user,
        record,
        firm_holds=lambda role, r: r.firm_id == role.firm_id and r.state in FIRM_VISIBLE,
    )


def acts_as(user, role_name: str) -> bool:
    """Return True if the user may act in the given workflow role (superusers act as any)."""
    if user is not None and user.is_active and user.is_superuser:
        return True
    role = role_of(user)
    return role is not None and role.role == role_name


def can_fire(user, transition: Transition, record) -> bool:
    """Return True if the user may fire the transition on the record in its current state."""
    return (
        record.state in transition.sources
        and acts_as(user, transition.role)
        and in_scope(user, record)
    )


def allowed_transitions(user, record) -> list[Transition]:
    """Return the transitions the user may fire on the record now, in table order."""
    return [t for t in TRANSITIONS.values() if can_fire(user, t, record)]


def editable_fields(user, record) -> set[str]:
    """Return the names of the record's fields the user may change now.

    "lines" stands for a project's funding lines. A new record may be created by the
    bureau's reviewer with any field.
    """
    if record.pk is None:
        # A blank form has no region yet; the region chosen must then be in scope.
        placed = record.region_id is None or in_scope(user, record)
        return {"*"} if acts_as(user, Role.REVIEWER) and placed else set()
    if not in_scope(user, record):
        return set()
    fields = set()
    for role_name, (states, names) in EDITABLE.items():
        if record.state in states and acts_as(user, role_name):
            fields |= names
    return fields


def can_import(user, model) -> bool:
    """Return True if the user may import result tables of the given model."""
    return bool(user and user.is_active and user.has_perm(_codename("import", model)))


def can_export(user, model) -> bool:
    """Return True if the user may export the given model's records from the admin."""
    return bool(user and user.is_active and user.has_perm(_codename("export", model)))


def can_release(user) -> bool:
    """Return True if the user may release results to the public (None: the operator's CLI)."""
    return user is None or acts_as(user, Role.PUBLISHER)


OUT_OF_SCOPE = "不在您的范围内：只能导入分配给您的记录"


def import_row_problem(user, record, original, changed: set[str], release=False) -> str:
    """Return why the user may not write this imported row, or "" if they may.

    Scope comes first and answers the same for a record that does not exist and one the
    user may not see, changed or not, so an import reveals nothing outside the scope.
    user None is the installation's operator on the command line. Nobody changes an
    approved or released record by import: that is a correction, which goes through the
    workflow with a recorded reason. Only the bureau creates records: the reviewer, or a
    publisher importing historical results as released (release).
    """
    existing = original is not None and original.pk is not None
    if user is not None:
        if existing and not in_scope(user, original):
            return OUT_OF_SCOPE
        creator = acts_as(user, Role.REVIEWER) or (release and acts_as(user, Role.PUBLISHER))
        if not existing and not (creator and in_scope(user, record)):
            return OUT_OF_SCOPE
    if not changed:
        return ""
    if existing and original.state in LOCKED:
        return f"该记录{original.get_state_display()}，只能通过更正流程修改"
    if user is None or not existing:
        return ""
    allowed = editable_fields(user, original)
    outside = sorted(changed - allowed)
    if outside and "*" not in allowed:
        state = original.get_state_display()
        return f"当前状态（{state}）下您不能修改：{'、'.join(outside)}"
    return ""


def public_unit_evaluations() -> QuerySet[UnitEvaluation]:
    """Return the unit evaluations anyone may see: those the bureau released."""
    return UnitEvaluation.objects.filter(state=State.RELEASED)


def public_projects() -> QuerySet[Project]:
    """Return the project evaluations anyone may see: those the bureau released."""
    return Project.objects.filter(state=State.RELEASED)


def public_funding_lines() -> QuerySet[FundingLine]:
    """Return the funding lines of the projects anyone may see."""
    return FundingLine.objects.filter(project__state=State.RELEASED)


# Filings: targets, monitoring reports and self-evaluation tables. They belong to the
# department whose unit files them; the bureau reviews its region's; firms see none.


def visible_targets(user) -> QuerySet[PerformanceTarget]:
    """Return the performance targets the user may see in the working interface."""
    return _scoped(PerformanceTarget.objects.all(), user)


def visible_filings(user, model) -> QuerySet:
    """Return the monitoring reports or self-evaluations (model) the user may see."""
    return model.objects.filter(target__in=visible_targets(user))


def target_in_scope(user, target: PerformanceTarget) -> bool:
    """Return True if the target lies in the user's scope (the rule of visible_targets)."""
    return _holds(user, target)


def can_create_target(user, *, region, unit) -> bool:
    """Return True if the user may file a new target for the unit: its department, or
    the bureau's reviewer of the region (historical records)."""
    probe = PerformanceTarget(region=region, unit=unit)
    if not target_in_scope(user, probe):
        return False
    return acts_as(user, Role.DEPARTMENT) or acts_as(user, Role.REVIEWER)


def can_fire_filing(user, kind: str, transition: Transition, filing, target) -> bool:
    """Return True if the user may fire the filing transition on the filing now."""
    return (
        transition.name in FILING_KINDS[kind]
        and filing.state in transition.sources
        and acts_as(user, transition.role)
        and target_in_scope(user, target)
    )


def filing_transitions(user, kind: str, filing, target) -> list[Transition]:
    """Return the filing transitions the user may fire now, in table order."""
    return [
        t for t in FILING_TRANSITIONS.values() if can_fire_filing(user, kind, t, filing, target)
    ]


def can_edit_filing(user, filing, target) -> bool:
    """Return True if the user may change the filing's content now (the department's turn)."""
    return (
        filing.state in FILING_EDITABLE
        and acts_as(user, Role.DEPARTMENT)
        and target_in_scope(user, target)
    )


def can_import_filing(user, target: PerformanceTarget, filing=None) -> bool:
    """Return True if the user may write the filing from a spreadsheet: its department in
    its turn, or the bureau's reviewer entering tables filed on paper (while the filing
    is new or still a draft)."""
    if not target_in_scope(user, target):
        return False
    if filing is not None and filing.state not in FILING_EDITABLE:
        return False
    return acts_as(user, Role.DEPARTMENT) or acts_as(user, Role.REVIEWER)


def visible_regions(user) -> QuerySet[Region]:
    """Return the regions the user works in: the bureau's own (or all), a department's
    units' regions."""
    queryset = Region.objects.all()
    if user is not None and user.is_active and user.is_superuser:
        return queryset
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role.role in BUREAU:
        return queryset.filter(pk=role.region_id) if role.region_id else queryset
    if role.role == Role.DEPARTMENT:
        return queryset.filter(units__in=role.unit_ids).distinct()
    return queryset.none()


def can_keep_settings(user, row=None) -> bool:
    """Return True if the user may keep a region's settings row — an indicator, ex-ante or
    assessment template, result application rules — (any, given None): the bureau's
    reviewer, a region's row for its region, the defaults only unbound to one."""
    if not acts_as(user, Role.REVIEWER):
        return False
    if row is None:
        return True
    if row.region_id is None:
        role = role_of(user)
        return role is None or role.region_id is None
    return visible_regions(user).filter(pk=row.region_id).exists()


def visible_settings(user, model) -> QuerySet:
    """Return the settings rows of the model the user sees: the defaults and its regions'."""
    return model.objects.filter(Q(region__isnull=True) | Q(region__in=visible_regions(user)))


def visible_periods(user) -> QuerySet[MonitoringPeriod]:
    """Return the monitoring periods of the regions the user works in."""
    return MonitoringPeriod.objects.filter(region__in=visible_regions(user))


def visible_problems(user) -> QuerySet[Problem]:
    """Return the problems the user sees: the department its units', a firm those of its
    projects, the bureau its region's."""
    return Problem.objects.filter(
        Q(unit__in=visible_units(user)) | Q(project__in=visible(user, Project))
    )


def can_import_tables(user) -> bool:
    """Return True if the user may upload filing tables at all (departments, the reviewer)."""
    return acts_as(user, Role.DEPARTMENT) or acts_as(user, Role.REVIEWER)


def can_import_approved(user) -> bool:
    """Return True if the user may enter filings as already approved (the bureau's reviewer
    entering last year's approved tables)."""
    return acts_as(user, Role.REVIEWER)


def can_adjust_target(user, target: PerformanceTarget) -> bool:
    """Return True if the user may start an adjustment of the target's approved version."""
    return (
        target.approved_version_id is not None
        and acts_as(user, Role.DEPARTMENT)
        and target_in_scope(user, target)
    )


def sees_monitoring_board(user) -> bool:
    """Return True if the user may see the deviation board (the bureau)."""
    return workflow_role(user) in BUREAU


def can_edit_sheet(user, project: Project) -> bool:
    """Return True if the user may enter the third-party sheet's scores: the firm's turn."""
    return "score" in editable_fields(user, project) or "*" in editable_fields(user, project)


def can_record_problem(user, record) -> bool:
    """Return True if the user may record a problem found on an evaluation (a project or a
    unit's overall spending): its firm while scoring, or the bureau's reviewer in scope."""
    if can_edit_sheet(user, record):
        return True
    return acts_as(user, Role.REVIEWER) and in_scope(user, record)


def public_targets() -> QuerySet[PerformanceTarget]:
    """Return the targets anyone may see: those of released project evaluations that have
    an approved version (targets are disclosed with the budget)."""
    return PerformanceTarget.objects.filter(
        evaluation__state=State.RELEASED, approved_version__isnull=False
    )


def public_sheets() -> QuerySet[ThirdPartySheet]:
    """Return the third-party sheets anyone may see: complete, of released projects."""
    return ThirdPartySheet.objects.filter(project__state=State.RELEASED, total__isnull=False)


def public_self_evaluations() -> QuerySet[SelfEvaluation]:
    """Return the self-evaluation tables anyone may see: approved, of released projects."""
    return SelfEvaluation.objects.filter(
        state=FilingState.APPROVED, target__evaluation__state=State.RELEASED
    )


def public_monitoring_reports() -> QuerySet[MonitoringReport]:
    """Return the monitoring reports anyone may see: approved, of released projects."""
    return MonitoringReport.objects.filter(
        state=FilingState.APPROVED, target__evaluation__state=State.RELEASED
    )


# Rectification, result application and the annual report.


def can_report_rectification(user, problem: Problem) -> bool:
    """Return True if the user may report the problem's rectification: the responsible
    unit's department, while the problem is open."""
    return (
        problem.state == Problem.State.OPEN
        and acts_as(user, Role.DEPARTMENT)
        and _holds(user, problem)
    )


def can_verify_rectification(user, problem: Problem) -> bool:
    """Return True if the user may verify (or send back) a reported rectification."""
    return (
        problem.state == Problem.State.REPORTED
        and acts_as(user, Role.REVIEWER)
        and _holds(user, problem)
    )


def can_set_deadline(user, problem: Problem) -> bool:
    """Return True if the user may set the problem's deadline: the bureau, until verified."""
    return (
        problem.state != Problem.State.VERIFIED
        and acts_as(user, Role.REVIEWER)
        and _holds(user, problem)
    )


def visible_decisions(user) -> QuerySet[BudgetDecision]:
    """Return the budget decisions the user sees: the bureau its region's, a department
    those on its units' evaluations."""
    role = role_of(user)
    if role is not None and role.role == Role.DEPARTMENT:
        return BudgetDecision.objects.filter(
            Q(unit_evaluation__unit__in=role.unit_ids) | Q(project__unit__in=role.unit_ids)
        )
    return _scoped(BudgetDecision.objects.all(), user)


def can_propose_decisions(user, region) -> bool:
    """Return True if the user may propose a region's budget decisions: its reviewer."""
    return acts_as(user, Role.REVIEWER) and _holds_region(user, region.pk)


def can_decide_budget(user, decision: BudgetDecision) -> bool:
    """Return True if the user may confirm or override a budget decision: the reviewer."""
    return acts_as(user, Role.REVIEWER) and _holds_region(user, decision.region_id)


def can_write_report(user, region) -> bool:
    """Return True if the user may write the annual report's narrative for the region."""
    return (acts_as(user, Role.REVIEWER) or acts_as(user, Role.PUBLISHER)) and _holds_region(
        user, region.pk
    )


def can_publish_report(user, region) -> bool:
    """Return True if the user may release the report's narrative to the public: the
    publisher of the region (as for results)."""
    return acts_as(user, Role.PUBLISHER) and _holds_region(user, region.pk)


def _holds_region(user, region_id) -> bool:
    if user is not None and user.is_active and user.is_superuser:
        return True
    role = role_of(user)
    return (
        role is not None
        and role.role in BUREAU
        and (not role.region_id or role.region_id == region_id)
    )


def public_decisions() -> QuerySet[BudgetDecision]:
    """Return the budget decisions anyone may see: confirmed, on released evaluations."""
    return BudgetDecision.objects.filter(state=BudgetDecision.State.CONFIRMED).filter(
        Q(unit_evaluation__state=State.RELEASED) | Q(project__state=State.RELEASED)
    )


def public_problems() -> QuerySet[Problem]:
    """Return the problems anyone may see: those found on released evaluations."""
    return Problem.objects.filter(
        Q(project__state=State.RELEASED) | Q(unit_evaluation__state=State.RELEASED)
    )


# Ex-ante evaluation and the yearly assessment of departments' performance-management work.


def visible_ex_ante(user) -> QuerySet[ExAnteAssessment]:
    """Return the ex-ante assessments the user sees: its department's, the bureau's region's,
    a firm those it was commissioned for."""
    queryset = ExAnteAssessment.objects.all()
    role = role_of(user)
    if role is not None and role.role == Role.FIRM:
        return queryset.filter(firm=role.firm_id)
    return queryset.filter(target__in=visible_targets(user))


def can_file_ex_ante(user, target: PerformanceTarget) -> bool:
    """Return True if the user may file an ex-ante assessment for the project: its department."""
    return acts_as(user, Role.DEPARTMENT) and target_in_scope(user, target)


def can_edit_ex_ante(user, assessment: ExAnteAssessment) -> bool:
    """Return True if the department may still change or submit its filing (a draft)."""
    return (
        assessment.state == ExAnteAssessment.State.DRAFT
        and acts_as(user, Role.DEPARTMENT)
        and target_in_scope(user, assessment.target)
    )


def can_commission_ex_ante(user, assessment: ExAnteAssessment) -> bool:
    """Return True if the user may choose a firm to grade the assessment: the reviewer."""
    return (
        assessment.state == ExAnteAssessment.State.SUBMITTED
        and acts_as(user, Role.REVIEWER)
        and target_in_scope(user, assessment.target)
    )


def can_grade_ex_ante(user, assessment: ExAnteAssessment) -> bool:
    """Return True if the user may grade the sub-items: the commissioned firm, or the
    reviewer when no firm was commissioned, until the bureau concludes."""
    if assessment.state not in (ExAnteAssessment.State.SUBMITTED, ExAnteAssessment.State.SCORED):
        return False
    if assessment.firm_id is not None:
        role = role_of(user)
        return role is not None and role.role == Role.FIRM and role.firm_id == assessment.firm_id
    return acts_as(user, Role.REVIEWER) and target_in_scope(user, assessment.target)


def can_conclude_ex_ante(user, assessment: ExAnteAssessment) -> bool:
    """Return True if the user may conclude a graded assessment: the reviewer."""
    return (
        assessment.state == ExAnteAssessment.State.SCORED
        and acts_as(user, Role.REVIEWER)
        and target_in_scope(user, assessment.target)
    )


def public_ex_ante() -> QuerySet[ExAnteAssessment]:
    """Return the ex-ante conclusions anyone may see: those of released key projects."""
    return ExAnteAssessment.objects.filter(
        state=ExAnteAssessment.State.CONCLUDED, target__evaluation__state=State.RELEASED
    )


def visible_assessments(user) -> QuerySet[DepartmentAssessment]:
    """Return the departments' assessments the user sees: the bureau its region's, a
    department its own units' breakdown."""
    return _scoped(DepartmentAssessment.objects.all(), user)


def can_assess(user, region) -> bool:
    """Return True if the user may compute, adjust and export the region's assessment."""
    return acts_as(user, Role.REVIEWER) and _holds_region(user, region.pk)


# -- background jobs ---------------------------------------------------------------------
# A job runs as the user who started it: the task asks can_start_job() again when it runs
# and reads only the records the user sees then (visible()), so a job started before a role
# was withdrawn produces nothing. Who may see a job may download its file.

from .models.jobs import Job, JobKind, JobState  # noqa: E402  (this section's own model)


def can_start_job(user, kind: str, region) -> bool:
    """Return True if the user may start a job of the kind for the region (None: all regions).

    The annual report's .docx: who may write the region's report. The results tables: the
    bureau of the region (all regions: the bureau unbound to one), or a user who may export
    both result tables, for a region they work in.
    """
    if user is None or not user.is_active:
        return False
    if kind == JobKind.REPORT_DOCX:
        return region is not None and can_write_report(user, region)
    if kind == JobKind.RESULTS_XLSX:
        if _holds_region(user, region.pk if region is not None else None):
            return True
        return (
            region is not None
            and can_export(user, UnitEvaluation)
            and can_export(user, Project)
            and visible_regions(user).filter(pk=region.pk).exists()
        )
    return False


def visible_jobs(user) -> QuerySet[Job]:
    """Return the jobs the user sees: their own; the bureau also its region's (unbound: all)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    role = role_of(user)
    if role is not None and role.role in BUREAU:
        if not role.region_id:
            return Job.objects.all()
        return Job.objects.filter(Q(user=user) | Q(region=role.region_id))
    return Job.objects.filter(user=user)


def can_see_job(user, job: Job) -> bool:
    """Return True if the user sees the job (the rule of visible_jobs() on one job)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return job.user_id == user.pk or _holds_region(user, job.region_id)


def can_download_job(user, job: Job) -> bool:
    """Return True if the user may download the job's file: one they see, once it is done,
    while they still hold the rights it was made with (the file holds what they could see
    then): the bureau of its region, or a user who could start the same job now."""
    return (
        job.state == JobState.DONE
        and bool(job.file)
        and can_see_job(user, job)
        and (_holds_region(user, job.region_id) or can_start_job(user, job.kind, job.region))
    )


def can_retry_job(user, job: Job) -> bool:
    """Return True if the user may queue a failed job again: its owner, or the bureau of
    its region (all regions: the bureau unbound to one)."""
    if job.state != JobState.FAILED or user is None or not user.is_active:
        return False
    return job.user_id == user.pk or _holds_region(user, job.region_id)
