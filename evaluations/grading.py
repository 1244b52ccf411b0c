"""Grade bands (评价等级) — the only place where a score becomes a grade.

Rule: MOF 预算司 unified bands, restated in 财预〔2020〕10号 practice and
../shared/domain.md §2: "90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、
60分以下为差". Lower edges are inclusive, upper edges exclusive, so exactly 90.00 is 优
(the ">90 bug" of one vendor system gives it no grade at all).

The grade is taken from the stored score, which already has its two decimal places;
nothing is rounded before grading.
"""

from decimal import Decimal

from django.db import models


class Grade(models.TextChoices):
    EXCELLENT = "优", "优"
    GOOD = "良", "良"
    FAIR = "中", "中"
    POOR = "差", "差"


# (lower bound inclusive, grade), highest first.
DEFAULT_BANDS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal("90"), Grade.EXCELLENT),
    (Decimal("80"), Grade.GOOD),
    (Decimal("60"), Grade.FAIR),
)


def grade_for(score: Decimal) -> Grade:
    """Return the grade of a 0–100 score under the default bands."""
    for lower, grade in DEFAULT_BANDS:
        if score >= lower:
            return grade
    return Grade.POOR


# Longer names for the same grades seen in circulated tables; some city rules call the
# third band 一般 (../shared/domain.md §2).
GRADE_NAMES = {
    "优秀": Grade.EXCELLENT,
    "良好": Grade.GOOD,
    "中等": Grade.FAIR,
    "一般": Grade.FAIR,
    "较差": Grade.POOR,
}


def grade_from_label(label: str) -> Grade | None:
    """Return the grade a label names (优, 优秀, 一般 …), None if it names none."""
    if label in Grade.values:
        return Grade(label)
    return GRADE_NAMES.get(label)
