"""The admin index's work queues ({% work_queues as queues %})."""

from django import template

from ..admin.queues import work_queues as user_work_queues

register = template.Library()


@register.simple_tag(takes_context=True)
def work_queues(context):
    """Return the queues of the logged-in user (evaluations.admin.queues.work_queues)."""
    return user_work_queues(context["request"].user)
