"""The permission policy: the one place that says who may do what with results.

The admin, the importer (admin and command line), the exports, the JSON endpoints and
the public pages all ask this module; none of them decides on its own.
"""

from django.db.models import QuerySet

from .models import FundingLine, Project, UnitEvaluation

RESULT_MODELS = (UnitEvaluation, Project)


def _codename(action: str, model) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can_import(user, model) -> bool:
    """Return True if the user may import result tables of the given model."""
    return bool(user and user.is_active and user.has_perm(_codename("import", model)))


def can_export(user, model) -> bool:
    """Return True if the user may export the given model's records from the admin."""
    return bool(user and user.is_active and user.has_perm(_codename("export", model)))


def public_unit_evaluations() -> QuerySet[UnitEvaluation]:
    """Return the unit evaluations anyone may see.

    Every imported result is published for now; the review workflow will narrow this to
    released records, here and nowhere else.
    """
    return UnitEvaluation.objects.all()


def public_projects() -> QuerySet[Project]:
    """Return the project evaluations anyone may see (see public_unit_evaluations)."""
    return Project.objects.all()


def public_funding_lines() -> QuerySet[FundingLine]:
    """Return the funding lines of the projects anyone may see."""
    return FundingLine.objects.filter(project__in=public_projects())
