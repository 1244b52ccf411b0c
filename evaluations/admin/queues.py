"""Each role's work queues: what awaits it, what came back to it, what it handed on.

The queues partition the records the policy lets the user see (policies.visible) by the
states the workflow table gives the user's role (workflow.AWAITING and RETURNED); the
admin index counts them and the changelists filter by them (QueueFilter).
"""

from django.db.models import Count, Q
from django.urls import reverse

from .. import policies
from ..models import MonitoringReport, Project, SelfEvaluation, TargetVersion, UnitEvaluation
from ..workflow import AWAITING, RETURNED, FilingState, Role

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


# Filings: what awaits the department (drafts, returns) and the reviewer (submissions).
# Only the latest version of a target is ever pending, so counting versions by state
# counts targets.
FILING_AWAITING = {
    Role.DEPARTMENT: {AWAITING_QUEUE: FilingState.DRAFT, RETURNED_QUEUE: FilingState.RETURNED},
    Role.REVIEWER: {AWAITING_QUEUE: FilingState.SUBMITTED},
}


def _filing_sources(user):
    """Return (label, queryset of filings, changelist URL, state filter parameter)."""
    return [
        (
            "绩效目标",
            TargetVersion.objects.filter(target__in=policies.visible_targets(user)),
            reverse("admin:evaluations_performancetarget_changelist"),
            "working_state",
        ),
        (
            "绩效监控表",
            policies.visible_filings(user, MonitoringReport),
            reverse("admin:evaluations_monitoringreport_changelist"),
            "state__exact",
        ),
        (
            "绩效自评表",
            policies.visible_filings(user, SelfEvaluation),
            reverse("admin:evaluations_selfevaluation_changelist"),
            "state__exact",
        ),
    ]


def filing_queues(user) -> list[dict]:
    """Return the user's filing queues with a count and a filtered link per kind of filing.

    One aggregate per kind of filing, whatever the number of filings.
    """
    states = FILING_AWAITING.get(policies.workflow_role(user))
    if not states:
        return []
    sources = _filing_sources(user)
    counts = [
        queryset.aggregate(
            **{name: Count("pk", filter=Q(state=state)) for name, state in states.items()}
        )
        for _, queryset, _, _ in sources
    ]
    return [
        {
            "key": name,
            "label": QUEUE_LABELS[name],
            "entries": [
                {"model": label, "count": count[name], "url": f"{url}?{parameter}={state}"}
                for (label, _, url, parameter), count in zip(sources, counts, strict=True)
            ],
        }
        for name, state in states.items()
    ]
