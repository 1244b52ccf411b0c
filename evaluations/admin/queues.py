"""Each role's work queues: what awaits it, what came back to it, what it handed on.

The queues partition the records the policy lets the user see (policies.visible) by the
states the workflow table gives the user's role (workflow.AWAITING and RETURNED); the
admin index counts them and the changelists filter by them (QueueFilter).
"""

from django.db.models import Count, Q
from django.urls import reverse

from .. import policies
from ..models import Project, UnitEvaluation
from ..workflow import AWAITING, RETURNED

AWAITING_QUEUE, RETURNED_QUEUE, DONE_QUEUE = "awaiting", "returned", "done"
QUEUE_LABELS = {
    AWAITING_QUEUE: "待我处理",
    RETURNED_QUEUE: "退回给我",
    DONE_QUEUE: "我已提交",
}
QUEUE_MODELS = (UnitEvaluation, Project)


def queue_conditions(role: str) -> dict[str, Q]:
    """Return the condition on state of each of the role's queues (none without a role).

    A role nothing is ever returned to (the bureau) has no "returned" queue.
    """
    if role is None:
        return {}
    awaiting, returned = AWAITING.get(role, ()), RETURNED.get(role, ())
    conditions = {AWAITING_QUEUE: Q(state__in=awaiting)}
    if returned:
        conditions[RETURNED_QUEUE] = Q(state__in=returned)
    conditions[DONE_QUEUE] = ~Q(state__in=(*awaiting, *returned))
    return conditions


def work_queues(user) -> list[dict]:
    """Return the user's queues, each with a count and a changelist link per result model.

    One aggregate per model, whatever the number of records.
    """
    conditions = queue_conditions(policies.workflow_role(user))
    if not conditions:
        return []
    counts = {
        model: policies.visible(user, model).aggregate(
            **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
        )
        for model in QUEUE_MODELS
    }
    return [
        {
            "key": name,
            "label": QUEUE_LABELS[name],
            "entries": [
                {
                    "model": model._meta.verbose_name,
                    "count": counts[model][name],
                    "url": reverse(
                        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                    )
                    + f"?queue={name}",
                }
                for model in QUEUE_MODELS
            ],
        }
        for name in conditions
    ]
