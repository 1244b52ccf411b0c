"""The result application rules (evaluations.application), without a database."""

from decimal import Decimal

import pytest

from evaluations.application import next_year_amount, propose
from evaluations.models import Action, ApplicationRules

D = Decimal
DEFAULTS = ApplicationRules()


@pytest.mark.parametrize(
    ("grade", "action", "share"),
    [
        ("优", Action.PRIORITY, None),
        ("良", Action.KEEP, None),
        ("中", Action.CUT, D(10)),
        ("差", Action.CANCEL, None),
    ],
)
def test_each_grade_proposes_its_default_decision(grade, action, share):
    proposal = propose(grade=grade, rules=DEFAULTS)

    assert (proposal.action, proposal.share) == (action, share)
    assert proposal.grounds == [f"评价等级为“{grade}”：{Action(action).label}"]


def test_a_region_sets_its_own_decision_per_grade_and_its_own_share():
    rules = ApplicationRules(good=Action.PRIORITY, poor=Action.CUT, cut_share=D("20"))

    assert propose(grade="良", rules=rules).action == Action.PRIORITY
    assert (propose(grade="差", rules=rules).action, propose(grade="差", rules=rules).share) == (
        Action.CUT,
        D(20),
    )


def test_execution_below_the_floor_proposes_at_least_a_cut():
    proposal = propose(grade="优", rules=DEFAULTS, execution_rate=D("49.99"))

    assert (proposal.action, proposal.share) == (Action.CUT, D(10))
    assert proposal.grounds[-1] == "预算执行率 49.99% 低于 50%：压减预算"


def test_execution_at_the_floor_counts_as_met():
    assert propose(grade="优", rules=DEFAULTS, execution_rate=D("50.00")).action == Action.PRIORITY


def test_an_unknown_execution_rate_changes_nothing():
    assert propose(grade="良", rules=DEFAULTS, execution_rate=None).action == Action.KEEP


def test_execution_below_the_floor_does_not_soften_a_cancellation():
    proposal = propose(grade="差", rules=DEFAULTS, execution_rate=D("10"))

    assert proposal.action == Action.CANCEL
    assert len(proposal.grounds) == 1


@pytest.mark.parametrize(
    ("grade", "stepped"),
    [("优", Action.KEEP), ("良", Action.CUT), ("中", Action.CANCEL), ("差", Action.CANCEL)],
)
def test_overdue_problems_step_the_proposal_down_one_level(grade, stepped):
    proposal = propose(grade=grade, rules=DEFAULTS, overdue=2)

    assert proposal.action == stepped


def test_the_step_down_is_given_as_a_ground_with_the_number_of_problems():
    proposal = propose(grade="良", rules=DEFAULTS, overdue=2)

    assert proposal.grounds[-1] == "有 2 个问题逾期未整改：由“合理保障”降为“压减预算”"
    assert proposal.share == D(10)


def test_a_region_may_leave_unrectified_problems_out():
    rules = ApplicationRules(unrectified_steps_down=False)

    assert propose(grade="优", rules=rules, overdue=3).action == Action.PRIORITY


def test_low_execution_and_overdue_problems_add_up():
    proposal = propose(grade="优", rules=DEFAULTS, execution_rate=D("30"), overdue=1)

    assert proposal.action == Action.CANCEL
    assert len(proposal.grounds) == 3


def test_a_cut_implies_the_amount_less_its_share_exactly():
    assert next_year_amount(base=D("476.604"), action=Action.CUT, share=D(10)) == D("428.9436")


def test_a_cancellation_implies_nothing_next_year():
    assert next_year_amount(base=D("476.604"), action=Action.CANCEL, share=None) == 0


@pytest.mark.parametrize("action", [Action.PRIORITY, Action.KEEP])
def test_priority_and_keep_leave_the_amount_to_the_budget(action):
    assert next_year_amount(base=D("100"), action=action, share=None) is None


def test_no_amount_is_implied_without_this_years_amount():
    assert next_year_amount(base=None, action=Action.CUT, share=D(10)) is None
