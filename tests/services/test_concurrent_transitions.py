"""Two people acting on the same record at once: one wins, the other is told, nothing is lost.

Needs real row locks, so it runs on PostgreSQL (SQLite serialises whole-database writes and
cannot show the race).
"""

import threading

import pytest
from django.db import connection, connections

from evaluations.models import WorkflowEvent
from evaluations.services.workflow import Conflict, evaluation_transition, evaluation_update
from evaluations.workflow import State

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(*actions):
    """Run the actions in threads released at the same moment; return what each gave."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as exc:  # the outcome under test
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_reviewers_deciding_at_once_one_approves_the_other_is_told(world):
    record = world.unit_evaluation(State.SCORED)
    seen = record.version

    outcomes = race(
        lambda: evaluation_transition(
            record=record, name="approve", user=world.reviewer, version=seen
        ),
        lambda: evaluation_transition(
            record=record, name="return_to_firm", user=world.reviewer, comment="复核", version=seen
        ),
    )

    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1 and len(conflicts) == 1, outcomes
    record.refresh_from_db()
    assert record.state == winners[0].state
    assert record.version == seen + 1
    assert WorkflowEvent.objects.filter(object_id=record.pk).count() == 1


def test_two_firm_evaluators_saving_at_once_the_second_is_refused_not_lost(world):
    record = world.unit_evaluation(State.ASSIGNED)
    seen = record.version

    outcomes = race(
        *(
            (
                lambda s=score: evaluation_update(
                    record=record, user=world.firm_user, changes={"score": s}, version=seen
                )
            )
            for score in (70, 75)
        )
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "UnitEvaluation"]
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    record.refresh_from_db()
    assert record.score == winner.score
    assert record.history.count() == 2  # the creation and the one accepted change
