"""Recusals are the reviewer's, for its own region's units; units are looked up, not edited."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from evaluations.models import Firm, FirmRecusal, Region, Unit, UnitEvaluation
from evaluations.workflow import Role

from .pages import admin_url, changelist_url, listed_ids


@pytest.fixture
def regions(roles):
    """A second region with a unit and a recusal, and a reviewer bound to each region."""
    elsewhere = Region.objects.create(code="520115", name="观山湖区")
    far_unit = Unit.objects.create(region=elsewhere, name="观山湖区教育局", kind="department")
    return {
        "own_recusal": FirmRecusal.objects.create(
            firm=roles.firm_a, unit=roles.own_unit, reason="曾为该单位编制预算"
        ),
        "far_recusal": FirmRecusal.objects.create(
            firm=roles.firm_b, unit=far_unit, reason="股东关联"
        ),
        "far_unit": far_unit,
        "reviewer": roles.login("hx-reviewer", Role.REVIEWER, region=roles.region),
    }


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def autocomplete(client, model, field, term=""):
    opts = model._meta
    query = {
        "app_label": opts.app_label,
        "model_name": opts.model_name,
        "field_name": field,
        "term": term,
    }
    return client.get(reverse("admin:autocomplete"), query)


def test_a_regional_reviewer_lists_only_its_regions_recusals(client, regions):
    client.force_login(regions["reviewer"])

    response = client.get(changelist_url(FirmRecusal))

    assert response.status_code == 200
    assert listed_ids(response) == {regions["own_recusal"].pk}


def test_a_regional_reviewer_cannot_open_or_change_another_regions_recusal(client, regions):
    client.force_login(regions["reviewer"])
    far = regions["far_recusal"]

    for view in ("change", "delete", "history"):
        assert client.get(admin_url(far, view)).status_code == 404, view
    response = client.post(
        admin_url(far), {"firm": far.firm_id, "unit": far.unit_id, "reason": "x"}
    )

    assert response.status_code == 404
    far.refresh_from_db()
    assert far.reason == "股东关联"
    assert client.get(admin_url(regions["own_recusal"])).status_code == 200


def test_a_regional_reviewer_cannot_create_a_recusal_for_another_regions_unit(
    client, roles, regions
):
    client.force_login(regions["reviewer"])
    url = add_url(FirmRecusal)

    refused = client.post(
        url, {"firm": roles.firm_a.pk, "unit": regions["far_unit"].pk, "reason": "x"}
    )
    accepted = client.post(url, {"firm": roles.firm_b.pk, "unit": roles.own_unit.pk, "reason": "y"})

    assert refused.status_code == 200
    assert "unit" in refused.context["adminform"].form.errors
    assert not FirmRecusal.objects.filter(unit=regions["far_unit"], firm=roles.firm_a).exists()
    assert accepted.status_code == 302
    assert FirmRecusal.objects.filter(unit=roles.own_unit, firm=roles.firm_b).exists()


def test_the_recusal_unit_lookup_offers_only_the_reviewers_units(client, roles, regions):
    client.force_login(regions["reviewer"])

    response = autocomplete(client, FirmRecusal, "unit")

    assert response.status_code == 200
    assert {row["text"] for row in response.json()["results"]} == {
        roles.own_unit.name,
        roles.other_unit.name,
    }


def test_a_department_or_firm_may_not_manage_recusals(client, roles, regions):
    for user in (roles.department, roles.firm, roles.publisher, roles.stranger):
        client.force_login(user)

        assert client.get(changelist_url(FirmRecusal)).status_code == 403, user
        assert client.get(add_url(FirmRecusal)).status_code == 403, user
        assert client.get(admin_url(regions["own_recusal"])).status_code in (403, 404), user


def test_a_regional_reviewer_lists_only_its_regions_units(client, roles, regions):
    client.force_login(regions["reviewer"])

    response = client.get(changelist_url(Unit))

    assert response.status_code == 200
    assert listed_ids(response) == {roles.own_unit.pk, roles.other_unit.pk}
    assert client.get(admin_url(regions["far_unit"])).status_code == 404


def test_the_reviewer_picks_units_of_its_region_for_a_new_evaluation(client, roles, regions):
    client.force_login(regions["reviewer"])

    response = autocomplete(client, UnitEvaluation, "unit", term="教育局")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(roles.own_unit.pk)]


def test_a_reviewer_views_units_and_firms_but_does_not_edit_them(client, roles, regions):
    client.force_login(regions["reviewer"])

    assert client.get(admin_url(roles.own_unit)).status_code == 200
    assert client.get(admin_url(roles.firm_a)).status_code == 200
    for model in (Unit, Firm, Region):
        assert client.get(add_url(model)).status_code == 403, model
    response = client.post(admin_url(roles.own_unit), {"name": "改名", "region": roles.region.pk})
    assert response.status_code == 403
    roles.own_unit.refresh_from_db()
    assert roles.own_unit.name == "花溪区教育局"


def test_a_department_does_not_browse_units(client, roles):
    client.force_login(roles.department)

    assert client.get(changelist_url(Unit)).status_code == 403
    assert autocomplete(client, UnitEvaluation, "unit").status_code == 403


def test_a_superuser_keeps_every_regions_reference_data(client, roles, regions):
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))

    recusals = client.get(changelist_url(FirmRecusal))
    units = client.get(changelist_url(Unit))

    assert listed_ids(recusals) == {regions["own_recusal"].pk, regions["far_recusal"].pk}
    assert regions["far_unit"].pk in listed_ids(units)
    assert client.get(add_url(Unit)).status_code == 200


def test_a_regional_reviewer_adds_an_evaluation_in_its_region_only(client, roles, regions):
    client.force_login(regions["reviewer"])
    url = add_url(UnitEvaluation)

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="unit"' in page.content.decode()  # the fields are editable, not read-only

    far = client.post(
        url, {"region": regions["far_unit"].region.pk, "year": 2023, "unit": regions["far_unit"].pk}
    )
    assert far.status_code == 200 and not UnitEvaluation.objects.filter(year=2023).exists()

    own = client.post(url, {"region": roles.region.pk, "year": 2023, "unit": roles.own_unit.pk})
    assert own.status_code == 302
    assert UnitEvaluation.objects.get(year=2023).unit == roles.own_unit
