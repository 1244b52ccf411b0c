"""Odd but plausible requests answer as a visitor expects: a 404, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/520111/units/99999999999999999999/",
        "/520111/units/99999999999999999999/history/",
        "/520111/2021/projects/99999999999999999999/",
    ],
)
def test_an_id_too_long_for_the_database_is_not_found(client, huaxi_2021, url):
    assert client.get(url).status_code == 404


def test_a_control_character_in_the_narrative_does_not_break_the_docx(client, huaxi_2021):
    from evaluations.models import ReportText

    ReportText.objects.filter(region=huaxi_2021, year=2021, section="plans").update(
        published_text="从Word粘贴的文字\x08，照常写入"
    )
    response = client.get("/520111/2021/report.docx")
    assert response.status_code == 200
