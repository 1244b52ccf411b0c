"""load_bundled_data loads the 2021 narrative with the tables: once, and never over what
the bureau has written since."""

import io

from django.core.management import call_command

from evaluations.models import Region, ReportSection, ReportText
from evaluations.report import annual_report


def load() -> str:
    out = io.StringIO()
    call_command("load_bundled_data", stdout=out)
    return out.getvalue()


def test_it_loads_every_section_once_and_keeps_the_bureaus_edits(db):
    assert "520111/2021/report-narrative.json：新建报告正文 9 个部分" in load()
    region = Region.objects.get(code="520111")
    ReportText.objects.filter(section=ReportSection.PLANS).update(text="财政局改写的计划。")

    assert "新建报告正文 0 个部分" in load()
    assert ReportText.objects.filter(region=region, year=2021).count() == 9
    assert ReportText.objects.get(section=ReportSection.PLANS).text == "财政局改写的计划。"


def test_every_reference_of_the_bundled_narrative_is_filled_from_the_records(db):
    load()
    report = annual_report(region=Region.objects.get(code="520111"), year=2021)
    assert report.unresolved == []
    assert "{" not in "".join(
        block.text for block in [*report.opening, *report.blocks()] if block.kind == "paragraph"
    )
