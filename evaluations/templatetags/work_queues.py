"""The admin index's work queues ({% work_queues as queues %})."""

from django import template
from django.utils import timezone

from .. import policies
from ..admin.queues import filing_queues as user_filing_queues
from ..admin.queues import work_queues as user_work_queues
from ..selectors import rectification
from ..selectors.jobs import failed_jobs as user_failed_jobs
from ..workflow import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def work_queues(context):
    """Return the queues of the logged-in user (evaluations.admin.queues.work_queues)."""
    return user_work_queues(context["request"].user)


@register.simple_tag(takes_context=True)
def filing_queues(context):
    """Return the filings awaiting the logged-in user (evaluations.admin.queues)."""
    return user_filing_queues(context["request"].user)


@register.simple_tag(takes_context=True)
def imports_tables(context):
    """Return True if the logged-in user may upload filing tables (policies)."""
    return policies.can_import_tables(context["request"].user)


@register.simple_tag(takes_context=True)
def overdue_problems(context):
    """Return how many problems the logged-in user sees are past their deadline unverified
    (departments and the bureau; 0 for the others)."""
    user = context["request"].user
    if policies.workflow_role(user) not in (Role.DEPARTMENT, Role.REVIEWER):
        return 0
    return rectification.counts(user=user, today=timezone.localdate())["overdue"]


@register.simple_tag(takes_context=True)
def failed_jobs(context):
    """Return how many of the logged-in user's background jobs failed (to retry)."""
    return user_failed_jobs(context["request"].user).count()
