"""The permission policy: the one place that says who may do what with which records.

The admin, the importer (admin and command line), the exports, the JSON endpoints and
the public pages all ask this module; none of them decides on its own. The workflow table
(evaluations.workflow) says which role fires which transition in which state; this module
adds the data scope: a department acts on its own units' records, a firm on the records
assigned to it, the bureau on its region's.
"""

from django.db.models import QuerySet

from .models import FundingLine, Project, Unit, UnitEvaluation, UserRole
from .workflow import EDITABLE, TRANSITIONS, Role, State, Transition

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


def visible(user, model) -> QuerySet:
    """Return the records of a result model (UnitEvaluation or Project) the user may see."""
    queryset = model.objects.all()
    if user is not None and user.is_active and user.is_superuser:
        return queryset
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role.role in BUREAU:
        return queryset.filter(region=role.region) if role.region_id else queryset
    if role.role == Role.DEPARTMENT:
        return queryset.filter(unit__in=role.unit_ids)
    if role.role == Role.FIRM:
        return queryset.filter(firm=role.firm_id, state__in=FIRM_VISIBLE)
    return queryset.none()


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
    queryset = Unit.objects.all()
    if user is not None and user.is_active and user.is_superuser:
        return queryset
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role.role in BUREAU:
        return queryset.filter(region=role.region) if role.region_id else queryset
    if role.role == Role.DEPARTMENT:
        return queryset.filter(pk__in=role.unit_ids)
    return queryset.none()


def in_scope(user, record) -> bool:
    """Return True if the record lies in the user's data scope (the rule of visible())."""
    if user is not None and user.is_active and user.is_superuser:
        return True
    role = role_of(user)
    if role is None:
        return False
    if role.role in BUREAU:
        return not role.region_id or role.region_id == record.region_id
    if role.role == Role.DEPARTMENT:
        return record.unit_id in role.unit_ids
    if role.role == Role.FIRM:
        return record.firm_id == role.firm_id and record.state in FIRM_VISIBLE
    return False


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
