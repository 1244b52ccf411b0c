"""The review workflow: states, transitions and who fires each, declared once.

Both kinds of evaluation (unit-overall and project) follow it:

    draft ──submit──▶ submitted ──assign──▶ assigned ──submit_score──▶ scored
      ▲                  │   ▲                 │  ▲                      │  │
      └─returned_to_unit◀┘   └─(resubmit)      │  └──returned_to_firm◀───┘  │approve
                         return_to_unit ◀──────┘      ▲ reopen (correction)  ▼
                                                      └────────────── approved ◀─withdraw─┐
                                                                         │release         │
                                                                         ▼                │
                                                                      released ───────────┘

A return (to the unit or to the firm) needs a comment and hands the record back to the
party that must act; they resume by submitting again. A released record changes only
through withdraw (with a reason) and then a correction with a reason: reopen sends it back
to the firm, reopen_to_unit back to the department. The services enforce this
table (evaluations.services.evaluation_transition) and the policy decides who may fire a
transition on which record (evaluations.policies.can_fire).
"""

from dataclasses import dataclass

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    RETURNED_TO_UNIT = "returned_to_unit", "已退回单位"
    SUBMITTED = "submitted", "自评已提交"
    ASSIGNED = "assigned", "已委托第三方"
    RETURNED_TO_FIRM = "returned_to_firm", "已退回第三方"
    SCORED = "scored", "第三方已评分"
    APPROVED = "approved", "已审核"
    RELEASED = "released", "已公开"


class Role(models.TextChoices):
    DEPARTMENT = "department", "预算单位"
    FIRM = "firm", "第三方机构"
    REVIEWER = "reviewer", "财政局审核人"
    PUBLISHER = "publisher", "财政局公开人"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    role: str
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            "提交自评",
            frozenset({State.DRAFT, State.RETURNED_TO_UNIT}),
            State.SUBMITTED,
            Role.DEPARTMENT,
        ),
        Transition(
            "return_to_unit",
            "退回单位修改",
            frozenset({State.SUBMITTED, State.ASSIGNED}),
            State.RETURNED_TO_UNIT,
            Role.REVIEWER,
            needs_comment=True,
        ),
        Transition(
            "assign", "委托第三方", frozenset({State.SUBMITTED}), State.ASSIGNED, Role.REVIEWER
        ),
        Transition(
            "submit_score",
            "提交评分",
            frozenset({State.ASSIGNED, State.RETURNED_TO_FIRM}),
            State.SCORED,
            Role.FIRM,
        ),
        Transition(
            "return_to_firm",
            "退回第三方修改",
            frozenset({State.SCORED}),
            State.RETURNED_TO_FIRM,
            Role.REVIEWER,
            needs_comment=True,
        ),
        Transition("approve", "审核通过", frozenset({State.SCORED}), State.APPROVED, Role.REVIEWER),
        Transition(
            "reopen",
            "发起更正（退回第三方）",
            frozenset({State.APPROVED}),
            State.RETURNED_TO_FIRM,
            Role.REVIEWER,
            needs_comment=True,
        ),
        Transition(
            "reopen_to_unit",
            "发起更正（退回单位）",
            frozenset({State.APPROVED}),
            State.RETURNED_TO_UNIT,
            Role.REVIEWER,
            needs_comment=True,
        ),
        Transition("release", "公开", frozenset({State.APPROVED}), State.RELEASED, Role.PUBLISHER),
        Transition(
            "withdraw",
            "撤回公开",
            frozenset({State.RELEASED}),
            State.APPROVED,
            Role.PUBLISHER,
            needs_comment=True,
        ),
    )
}

# Who acts next in each state: the queues of the admin index.
AWAITING = {
    Role.DEPARTMENT: (State.DRAFT,),
    Role.FIRM: (State.ASSIGNED,),
    Role.REVIEWER: (State.SUBMITTED, State.SCORED),
    Role.PUBLISHER: (State.APPROVED,),
}
RETURNED = {
    Role.DEPARTMENT: (State.RETURNED_TO_UNIT,),
    Role.FIRM: (State.RETURNED_TO_FIRM,),
    Role.REVIEWER: (),
    Role.PUBLISHER: (),
}

# What each party may edit, and in which states (a correction goes through reopen).
EDITABLE = {
    Role.DEPARTMENT: (
        (State.DRAFT, State.RETURNED_TO_UNIT),
        {"name", "self_score", "note", "lines"},
    ),
    Role.FIRM: ((State.ASSIGNED, State.RETURNED_TO_FIRM), {"score"}),
    # Choosing the firm: before assigning, and when a correction finds none (or the wrong one).
    Role.REVIEWER: ((State.DRAFT, State.SUBMITTED, State.RETURNED_TO_FIRM), {"firm"}),
    Role.PUBLISHER: ((), set()),
}


# Filings: the department's own documents — performance targets, monitoring reports and
# self-evaluation tables. The department fills and submits; the bureau's reviewer approves
# or returns with an opinion; a target's review grade decides which (财预〔2015〕88号:
# 优/良 go on, 中 is revised and resubmitted, 差 may not enter the budget).
#
#   draft ──submit──▶ submitted ──approve──▶ approved ──(target: adjust)──▶ new version
#     ▲                 │   │                   │
#     └──returned ◀─────┘   └─reject─▶ rejected │ (monitoring, self-evaluation)
#          ▲                                    │
#          └────────────────reopen──────────────┘


class FilingState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交待审核"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "已审核通过"
    REJECTED = "rejected", "不予安排"
    SUPERSEDED = "superseded", "已被调整"


FILING_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            "提交审核",
            frozenset({FilingState.DRAFT, FilingState.RETURNED}),
            FilingState.SUBMITTED,
            Role.DEPARTMENT,
        ),
        Transition(
            "return",
            "退回修改",
            frozenset({FilingState.SUBMITTED}),
            FilingState.RETURNED,
            Role.REVIEWER,
            needs_comment=True,
        ),
        Transition(
            "approve",
            "审核通过",
            frozenset({FilingState.SUBMITTED}),
            FilingState.APPROVED,
            Role.REVIEWER,
        ),
        Transition(
            "reject",
            "不予安排",
            frozenset({FilingState.SUBMITTED}),
            FilingState.REJECTED,
            Role.REVIEWER,
            needs_comment=True,
        ),
        Transition(
            "reopen",
            "退回更正",
            frozenset({FilingState.APPROVED}),
            FilingState.RETURNED,
            Role.REVIEWER,
            needs_comment=True,
        ),
    )
}

# The department edits a filing while it is its turn.
FILING_EDITABLE = (FilingState.DRAFT, FilingState.RETURNED)

# Which filing transitions each kind of filing knows. An approved target version is never
# reopened: it is adjusted into a new version, and the approved one is kept.
FILING_KINDS = {
    "target": ("submit", "return", "approve", "reject"),
    "monitoring": ("submit", "return", "approve", "reopen"),
    "self_evaluation": ("submit", "return", "approve", "reopen"),
}

# A target's review grade decides the transition (财预〔2015〕88号, ../shared/domain.md §3).
TARGET_REVIEW = {"优": "approve", "良": "approve", "中": "return", "差": "reject"}
