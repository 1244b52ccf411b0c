from decimal import Decimal

import pytest

from evaluations.grading import grade_for


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "优"),
        ("90.00", "优"),
        ("89.99", "良"),
        ("80.00", "良"),
        ("79.99", "中"),
        ("60.00", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_band_edges_are_inclusive_below_and_exclusive_above(score, grade):
    assert grade_for(Decimal(score)) == grade
