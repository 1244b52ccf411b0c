"""Writes of the annual report's narrative (ReportText): the bureau's words, by section.

The figures are not the bureau's to type: the text refers to them by name ({重点项目数})
and a reference the report cannot fill is refused here (report.narrative.problems).
"""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import policies
from ..models import Region, ReportSection, ReportText
from ..report import narrative
from .workflow import record_event


def _checked(text: str, section: str) -> str:
    if section not in ReportSection.values:
        raise ValidationError(f"没有“{section}”这一部分")
    text = "\n".join(narrative.lines(text))
    found = narrative.problems(text, section)
    if found:
        raise ValidationError(found)
    return text


@transaction.atomic
def report_text_save(*, region: Region, year: int, section: str, text: str, user) -> ReportText:
    """Save the bureau's text of one section of the region's report for the year.

    Refuse a user who may not write the region's report, and a text whose references
    ({名称}, {块名}) the report cannot fill.
    """
    if not policies.can_write_report(user, region):
        raise PermissionDenied("只有财政局用户可以编写本区划的年度报告")
    text = _checked(text, section)
    record = (
        ReportText.objects.select_for_update()
        .filter(region=region, year=year, section=section)
        .first()
    )
    if record is None:
        record = ReportText(region=region, year=year, section=section)
    record.text, record.updated_by = text, user
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def report_text_copy(*, source: ReportText, user) -> ReportText | None:
    """Start next year's text of a section from this year's: copy it to year + 1 unless
    that section already has a text (which is never overwritten). Return the copy."""
    if not policies.can_write_report(user, source.region):
        raise PermissionDenied("只有财政局用户可以编写本区划的年度报告")
    copy, created = ReportText.objects.get_or_create(
        region=source.region,
        year=source.year + 1,
        section=source.section,
        defaults={"text": source.text, "updated_by": user},
    )
    return copy if created else None


@transaction.atomic
def report_texts_load(*, region: Region, year: int, path: Path) -> list[ReportText]:
    """Create the sections of the region's report for the year that have no text yet,
    from a bundled narrative file ({"sections": {section: [paragraph, …]}}).

    For the installation's operator (the command line): a section the bureau has written
    since is left as it is. Return the texts created.
    """
    sections = json.loads(path.read_text(encoding="utf-8"))["sections"]
    existing = set(
        ReportText.objects.filter(region=region, year=year).values_list("section", flat=True)
    )
    created = []
    for section, paragraphs in sections.items():
        text = _checked("\n".join(paragraphs), section)
        if section not in existing:
            # A report already published elsewhere: its words are public as they stand.
            created.append(
                ReportText.objects.create(
                    region=region,
                    year=year,
                    section=section,
                    text=text,
                    published_text=text,
                    published_at=timezone.now(),
                )
            )
    return created


@transaction.atomic
def report_publish(*, region: Region, year: int, user) -> int:
    """Release the narrative of the region's report for the year as it stands now (the
    publisher's step); return how many sections changed for the public."""
    if not policies.can_publish_report(user, region):
        raise PermissionDenied
    texts = list(ReportText.objects.select_for_update().filter(region=region, year=year))
    changed = [t for t in texts if t.published_text != t.text]
    now = timezone.now()
    for text in changed:
        text.published_text, text.published_at = text.text, now
    ReportText.objects.bulk_update(changed, ["published_text", "published_at"])
    for text in changed:
        record_event(
            text,
            action="report_publish",
            from_state="",
            to_state="",
            user=user,
            comment=text.get_section_display(),
        )
    return len(changed)
