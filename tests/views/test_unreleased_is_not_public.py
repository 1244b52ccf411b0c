"""No unreleased value is reachable anonymously: pages, exports, JSON, summary, detail URLs.

花溪区 2023 holds two released unit evaluations and two released projects, and one unit
evaluation and one project in every other workflow state, each with its own name, firm,
scores and amounts. 花溪区 2024 and 白云区 hold unreleased records only. A visitor fetches
every public URL, with every filter, sort and download, and every detail URL of every
record; none of the unreleased names or numbers may appear, and an unreleased record's URL
answers exactly as one that does not exist.
"""

import io
from decimal import Decimal

import openpyxl
import pytest

from evaluations.classification import UnitKind
from evaluations.grading import Grade
from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation
from evaluations.roles import role_user_create
from evaluations.services.imports import region_ensure
from evaluations.services.workflow import evaluation_transition
from evaluations.workflow import Role, State

pytestmark = pytest.mark.django_db

HUAXI, BAIYUN, NOWHERE = "520111", "520113", "520199"
YEAR, UNRELEASED_YEAR = 2023, 2024
UNRELEASED = [state for state in State if state != State.RELEASED]
UNIT_SORTS = ["firm", "unit", "kind", "score", "grade"]
PROJECT_SORTS = ["number", "name", "total_amount", "self_scores", "score", "grade"]
# Searches that match every unreleased name without echoing one of them in the search box.
SEARCHES = ["未公开", "单位", "项目", "资金", *UNRELEASED]
EXPORTS = ["csv", "xlsx", "json"]


def add_unit_evaluation(region, year, name, firm_name, score, state, kind=UnitKind.DEPARTMENT):
    unit, _ = Unit.objects.get_or_create(region=region, name=name, defaults={"kind": kind})
    firm, _ = Firm.objects.get_or_create(name=firm_name)
    return UnitEvaluation.objects.create(
        region=region,
        year=year,
        unit=unit,
        firm=firm,
        self_score=score,
        score=score,
        state=state,
    )


def add_project(region, year, number, name, score, state, lines, *, unit=None, firm=None):
    project = Project.objects.create(
        region=region,
        year=year,
        number=number,
        name=name,
        unit=unit,
        firm=firm,
        score=score,
        state=state,
    )
    for position, (label, amount, self_score) in enumerate(lines, start=1):
        FundingLine.objects.create(
            project=project,
            position=position,
            label=label,
            amount=Decimal(amount),
            self_score=Decimal(self_score),
        )
    return project


class World:
    """The records, and every value of an unreleased one as a visitor could read it."""

    def __init__(self):
        self.huaxi = region_ensure(code=HUAXI, name="花溪区")
        self.baiyun = region_ensure(code=BAIYUN, name="白云区")
        self.secrets = {"白云区"}
        self.released_unit = add_unit_evaluation(
            self.huaxi, YEAR, "公开单位甲", "公开评价机构", Decimal("88.88"), State.RELEASED
        )
        self.withdrawable_unit = add_unit_evaluation(
            self.huaxi, YEAR, "公开单位乙", "公开评价机构", Decimal("79.50"), State.RELEASED
        )
        self.released_project = add_project(
            self.huaxi,
            YEAR,
            1,
            "公开项目甲",
            Decimal("91.25"),
            State.RELEASED,
            [("公开资金甲", "1000.5", "95.00"), ("公开资金甲（追加）", "250.25", "93.50")],
            unit=self.released_unit.unit,
            firm=self.released_unit.firm,
        )
        self.withdrawable_project = add_project(
            self.huaxi,
            YEAR,
            2,
            "公开项目乙",
            Decimal("84.75"),
            State.RELEASED,
            [("公开资金乙", "300", "90.00")],
        )
        for i, state in enumerate(UNRELEASED):
            self._add_unreleased(i, state)
        self._add_unreleased_year()
        self._add_unreleased_region()

    def _add_unreleased(self, i, state):
        unit_score, project_score = Decimal(f"1{i}.3{i + 1}"), Decimal(f"3{i}.6{i + 1}")
        amount, self_score = f"{4321 + i}.987654", f"4{i}.1{i + 1}"
        evaluation = add_unit_evaluation(
            self.huaxi,
            YEAR,
            f"未公开单位-{state}",
            f"未公开机构-{state}",
            unit_score,
            state,
            kind=UnitKind.TOWNSHIP,
        )
        add_project(
            self.huaxi,
            YEAR,
            10 + i,
            f"未公开项目-{state}",
            project_score,
            state,
            [(f"未公开资金-{state}", amount, self_score)],
            unit=evaluation.unit,
            firm=evaluation.firm,
        )
        self.secrets |= {
            f"未公开单位-{state}",
            f"未公开机构-{state}",
            f"未公开项目-{state}",
            f"未公开资金-{state}",
            str(unit_score),
            str(project_score),
            self_score,
            "987654",
        }

    def _add_unreleased_year(self):
        add_unit_evaluation(
            self.huaxi,
            UNRELEASED_YEAR,
            "公开单位甲",
            "次年评价机构",
            Decimal("19.19"),
            State.SCORED,
        )
        add_project(
            self.huaxi,
            UNRELEASED_YEAR,
            1,
            "次年未公开项目",
            Decimal("29.29"),
            State.APPROVED,
            [("次年未公开资金", "555.123", "39.39")],
        )
        self.secrets |= {"次年评价机构", "19.19", "次年未公开项目", "29.29", "次年未公开资金"}
        self.secrets |= {"555.123", "39.39"}

    def _add_unreleased_region(self):
        add_unit_evaluation(
            self.baiyun, YEAR, "白云未公开单位", "白云评价机构", Decimal("49.49"), State.APPROVED
        )
        add_project(
            self.baiyun,
            YEAR,
            1,
            "白云未公开项目",
            Decimal("59.59"),
            State.DRAFT,
            [("白云未公开资金", "666.321", "69.69")],
        )
        self.secrets |= {"白云未公开单位", "白云评价机构", "49.49", "白云未公开项目", "59.59"}
        self.secrets |= {"白云未公开资金", "666.321", "69.69"}

    def withdraw(self, *records):
        publisher = role_user_create(
            username="publisher", role=Role.PUBLISHER, password="pw-tests-only-2023"
        )
        for record in records:
            evaluation_transition(record=record, name="withdraw", user=publisher, comment="更正")


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


def body(response) -> str:
    """Return what a visitor reads in a response; a workbook as the text of its cells."""
    if response["Content-Type"].endswith("spreadsheetml.sheet"):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return "\n".join(
            " ".join(str(value) for value in row if value is not None)
            for row in sheet.iter_rows(values_only=True)
        )
    return response.getvalue().decode("utf-8-sig")


def public_urls() -> list[tuple[str, dict]]:
    """Return every public URL of 花溪区 2023 with every filter, sort, page and download."""
    units, projects = f"/{HUAXI}/{YEAR}/units/", f"/{HUAXI}/{YEAR}/projects/"
    unit_filters = [
        {},
        {"page": 2},
        *({"grade": grade} for grade in Grade.values),
        *({"kind": kind} for kind in UnitKind.values),
        *({"firm": pk} for pk in Firm.objects.values_list("pk", flat=True)),
        *({"q": q} for q in SEARCHES),
        *({"sort": sort} for sort in UNIT_SORTS + [f"-{sort}" for sort in UNIT_SORTS]),
    ]
    project_filters = [
        {},
        *({"grade": grade} for grade in Grade.values),
        *({"kind": kind} for kind in UnitKind.values),
        *({"q": q} for q in SEARCHES),
        *({"sort": sort} for sort in PROJECT_SORTS + [f"-{sort}" for sort in PROJECT_SORTS]),
    ]
    return [
        ("/", {}),
        (f"/{HUAXI}/", {}),
        (f"/{HUAXI}/{YEAR}/", {}),
        (f"/{HUAXI}/{YEAR}/summary.json", {}),
        *((units, params) for params in unit_filters),
        *((projects, params) for params in project_filters),
        *(
            (page, {**params, "_export": export})
            for export in EXPORTS
            for page, params in [(units, {}), (projects, {}), (units, {"q": "未公开"})]
            + [(projects, {"q": "未公开"}), (units, {"grade": "差"}), (projects, {"grade": "差"})]
        ),
    ]


def detail_urls() -> list[str]:
    """Return the detail URL of every unit and every project there is, released or not."""
    return [
        f"/{region_code}/units/{pk}/"
        for region_code in (HUAXI, BAIYUN)
        for pk in Unit.objects.values_list("pk", flat=True)
    ] + [
        f"/{region_code}/{year}/projects/{number}/"
        for region_code, year, number in Project.objects.values_list(
            "region__code", "year", "number"
        )
    ]


def fetch_all(client) -> dict[str, tuple[int, str]]:
    """Fetch every public and detail URL as an anonymous visitor: {url: (status, text)}."""
    fetched = {}
    for path, params in public_urls():
        response = client.get(path, params)
        assert response.status_code == 200, (path, params)
        fetched[f"{path}?{params}"] = (200, body(response))
    for path in detail_urls():
        response = client.get(path)
        fetched[path] = (response.status_code, body(response))
    return fetched


def leaks(fetched, secrets) -> list[tuple[str, str]]:
    return [
        (url, secret) for url, (_, text) in fetched.items() for secret in secrets if secret in text
    ]


def not_found(client, path) -> tuple[int, bytes]:
    response = client.get(path)
    return response.status_code, response.getvalue()


def test_no_page_export_or_detail_shows_an_unreleased_value(client, world):
    fetched = fetch_all(client)
    assert leaks(fetched, world.secrets) == []
    assert leaks(fetched, ["公开单位甲", "公开项目乙", "公开资金甲（追加）"]) != []


def test_the_summary_counts_only_released_records(client, world):
    summary = client.get(f"/{HUAXI}/{YEAR}/summary.json").json()
    assert summary["units"] == {
        "count": 2,
        "by_kind": {"部门": 2, "乡镇": 0, "街道": 0},
        "by_grade": {"优": 0, "良": 1, "中": 1, "差": 0},
        "highest_score": "88.88",
        "lowest_score": "79.5",
    }
    assert summary["projects"] == {
        "count": 2,
        "funding_lines": 3,
        "total_funds": "1550.75",
        "by_grade": {"优": 1, "良": 1, "中": 0, "差": 0},
        "highest_score": "91.25",
        "lowest_score": "84.75",
        "lowest_self_score": "90",
    }


def test_the_tables_hold_only_released_rows(client, world):
    units = client.get(f"/{HUAXI}/{YEAR}/units/", {"_export": "json"}).json()
    projects = client.get(f"/{HUAXI}/{YEAR}/projects/", {"_export": "json"}).json()
    assert [row["unit"] for row in units] == ["公开单位甲", "公开单位乙"]
    assert [row["funding_line"] for row in projects] == [
        "公开资金甲",
        "公开资金甲（追加）",
        "公开资金乙",
    ]


def test_no_filter_offers_a_choice_that_only_unreleased_records_have(client, world):
    projects = client.get(f"/{HUAXI}/{YEAR}/projects/").content.decode()
    assert 'value="township"' not in projects


def test_a_year_or_region_with_only_unreleased_records_is_not_listed(client, world):
    index = client.get("/").content.decode()
    assert f'href="/{HUAXI}/{YEAR}/"' in index
    assert str(UNRELEASED_YEAR) not in index
    assert BAIYUN not in index
    assert str(UNRELEASED_YEAR) not in client.get(f"/{HUAXI}/").content.decode()


@pytest.mark.parametrize(
    ("unreleased", "unknown"),
    [
        (f"/{HUAXI}/{UNRELEASED_YEAR}/", f"/{HUAXI}/1999/"),
        (f"/{HUAXI}/{UNRELEASED_YEAR}/summary.json", f"/{HUAXI}/1999/summary.json"),
        (f"/{HUAXI}/{UNRELEASED_YEAR}/units/", f"/{HUAXI}/1999/units/"),
        (f"/{HUAXI}/{UNRELEASED_YEAR}/projects/", f"/{HUAXI}/1999/projects/"),
        (f"/{HUAXI}/{UNRELEASED_YEAR}/units/?_export=csv", f"/{HUAXI}/1999/units/?_export=csv"),
        (f"/{HUAXI}/{UNRELEASED_YEAR}/projects/1/", f"/{HUAXI}/1999/projects/1/"),
        (f"/{BAIYUN}/", f"/{NOWHERE}/"),
        (f"/{BAIYUN}/{YEAR}/", f"/{NOWHERE}/{YEAR}/"),
        (f"/{BAIYUN}/{YEAR}/projects/?_export=json", f"/{NOWHERE}/{YEAR}/projects/?_export=json"),
        (f"/{BAIYUN}/{YEAR}/projects/1/", f"/{NOWHERE}/{YEAR}/projects/1/"),
    ],
)
def test_an_unreleased_year_or_region_answers_like_an_unknown_one(
    client, world, unreleased, unknown
):
    assert not_found(client, unreleased) == not_found(client, unknown)
    assert not_found(client, unreleased)[0] == 404


def test_an_unreleased_record_answers_like_an_unknown_one(client, world):
    unknown_unit = not_found(client, f"/{HUAXI}/units/{Unit.objects.count() + 1000}/")
    unknown_project = not_found(client, f"/{HUAXI}/{YEAR}/projects/999/")
    assert unknown_unit[0] == unknown_project[0] == 404
    for i, state in enumerate(UNRELEASED):
        unit = Unit.objects.get(name=f"未公开单位-{state}")
        assert not_found(client, f"/{HUAXI}/units/{unit.pk}/") == unknown_unit, state
        assert not_found(client, f"/{HUAXI}/{YEAR}/projects/{10 + i}/") == unknown_project, state
    baiyun_unit = Unit.objects.get(name="白云未公开单位")
    assert not_found(client, f"/{BAIYUN}/units/{baiyun_unit.pk}/") == unknown_unit


def test_a_released_unit_page_shows_only_its_released_years(client, world):
    response = client.get(f"/{HUAXI}/units/{world.released_unit.unit_id}/")
    assert response.status_code == 200
    text = body(response)
    assert "88.88" in text
    assert str(UNRELEASED_YEAR) not in text


def test_withdrawing_removes_a_record_from_everything_public(client, world):
    unit_id = world.withdrawable_unit.unit_id
    world.withdraw(world.withdrawable_unit, world.withdrawable_project)

    fetched = fetch_all(client)
    withdrawn = {"公开单位乙", "79.50", "79.5", "公开项目乙", "84.75", "公开资金乙"}
    assert leaks(fetched, world.secrets | withdrawn) == []
    assert leaks(fetched, ["公开单位甲", "公开项目甲"]) != []
    summary = client.get(f"/{HUAXI}/{YEAR}/summary.json").json()
    assert (summary["units"]["count"], summary["projects"]["count"]) == (1, 1)
    assert summary["projects"]["total_funds"] == "1250.75"
    assert not_found(client, f"/{HUAXI}/units/{unit_id}/") == not_found(
        client, f"/{HUAXI}/units/{Unit.objects.count() + 1000}/"
    )
    assert not_found(client, f"/{HUAXI}/{YEAR}/projects/2/") == not_found(
        client, f"/{HUAXI}/{YEAR}/projects/999/"
    )


def test_withdrawing_a_whole_year_takes_it_off_the_index(client, world):
    world.withdraw(
        world.released_unit,
        world.withdrawable_unit,
        world.released_project,
        world.withdrawable_project,
    )
    assert "花溪区" not in body(client.get("/"))
    assert not_found(client, f"/{HUAXI}/") == not_found(client, f"/{NOWHERE}/")
    assert not_found(client, f"/{HUAXI}/{YEAR}/") == not_found(client, f"/{HUAXI}/1999/")
