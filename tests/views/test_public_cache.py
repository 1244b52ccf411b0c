"""The public pages' cache (evaluations.cache): a repeat visit runs no query, and every write
to what the public sees shows on the very next request.

These tests commit their writes (transaction=True), as the site does: the cache is bumped
when a transaction commits.
"""

import uuid
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from evaluations import cache
from evaluations.models import Firm, Region, Unit, UnitEvaluation
from evaluations.roles import role_user_create
from evaluations.services.imports import region_ensure
from evaluations.services.workflow import evaluation_transition
from evaluations.views import results as views
from evaluations.workflow import Role, State

from .builders import add_projects, add_units

pytestmark = pytest.mark.django_db(transaction=True)

CODE, YEAR = "520101", 2021
UNITS = f"/{CODE}/{YEAR}/units/"
PAGES = [
    f"/{CODE}/{YEAR}/",
    UNITS,
    f"/{CODE}/{YEAR}/projects/",
    f"/{CODE}/{YEAR}/charts/",
    f"/{CODE}/{YEAR}/report/",
]


@pytest.fixture
def region(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    region = region_ensure(code=CODE, name="小区")
    add_units(region, YEAR, 30)
    add_projects(region, YEAR, 30)
    return region


@pytest.fixture
def approved(region):
    """An evaluation ready to be released, not public yet."""
    unit = Unit.objects.create(region=region, name="待公开单位", kind="department")
    return UnitEvaluation.objects.create(
        region=region,
        year=YEAR,
        unit=unit,
        firm=Firm.objects.first(),
        score=Decimal("88.50"),
        grade="良",
        state=State.APPROVED,
    )


@pytest.fixture
def publisher(db):
    return role_user_create(username="publisher", role=Role.PUBLISHER, password="pw-tests-2023")


def visit(client, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_a_repeat_anonymous_visit_runs_no_query(client, region, path):
    first, first_queries = visit(client, path)
    again, again_queries = visit(client, path)
    assert first_queries > 0
    assert again_queries == 0
    assert again == first


def test_each_query_string_is_a_page_of_its_own(client, region):
    visit(client, UNITS)
    page_two, queries = visit(client, UNITS, {"page": 2})
    assert queries > 0
    assert "第 2 /" in page_two


def test_a_release_shows_on_the_very_next_request(client, approved, publisher):
    assert "待公开单位" not in visit(client, UNITS)[0]
    evaluation_transition(record=approved, name="release", user=publisher)
    assert "待公开单位" in visit(client, UNITS)[0]


def test_a_withdrawal_shows_on_the_very_next_request(client, approved, publisher):
    released = evaluation_transition(record=approved, name="release", user=publisher)
    assert "待公开单位" in visit(client, UNITS)[0]
    unit_page = f"/{CODE}/units/{approved.unit_id}/"
    visit(client, unit_page)
    evaluation_transition(record=released, name="withdraw", user=publisher, comment="更正")
    assert "待公开单位" not in visit(client, UNITS)[0]
    # Withdrawn answers exactly like missing, cached or not.
    assert client.get(unit_page).status_code == 404


def test_a_bulk_update_shows_on_the_very_next_request(client, region):
    # QuerySet.update() sends no signal: the cache sees the write itself.
    assert "小区" in visit(client, f"/{CODE}/{YEAR}/")[0]
    Region.objects.filter(pk=region.pk).update(name="更名区")
    assert "更名区" in visit(client, f"/{CODE}/{YEAR}/")[0]


def test_writes_the_public_never_sees_keep_the_cache(client, region):
    visit(client, UNITS)
    # A login with its workflow role: auth_user and UserRole rows.
    role_user_create(username="reviewer", role=Role.REVIEWER, password="pw-tests-2023")
    assert visit(client, UNITS)[1] == 0


def test_a_rolled_back_write_does_not_empty_the_cache(client, region):
    visit(client, UNITS)
    with pytest.raises(RuntimeError), transaction.atomic():
        Region.objects.filter(pk=region.pk).update(name="更名区")
        raise RuntimeError
    assert visit(client, UNITS)[1] == 0


@pytest.fixture
def renders(monkeypatch):
    """Count the times the results pages are rendered rather than served from the cache."""
    calls = []
    real = views.published_region_or_404

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(views, "published_region_or_404", counted)
    return calls


def test_a_logged_in_user_is_never_served_a_cached_page(client, region, publisher, renders):
    visit(client, UNITS)
    client.force_login(publisher)
    visit(client, UNITS)
    assert len(renders) == 2


def test_a_page_rendered_for_a_logged_in_user_is_not_stored(client, region, publisher, renders):
    client.force_login(publisher)
    visit(client, UNITS)
    client.logout()
    visit(client, UNITS)
    assert len(renders) == 2


def test_a_refused_request_is_not_stored(client, region, renders):
    for _ in range(2):
        assert client.get(UNITS, {"_export": "pdf"}).status_code == 400
    assert len(renders) == 2


def test_a_page_held_in_this_process_is_served_without_a_query(client, region, renders):
    visit(client, UNITS)
    # Gone from the shared cache: only this process's own copy can serve it.
    cache.cache.delete(cache._key(RequestFactory().get(UNITS)))
    assert visit(client, UNITS)[1] == 0
    assert len(renders) == 1


def test_a_release_in_another_process_shows_on_the_next_request_here(
    client, approved, publisher, monkeypatch
):
    assert "待公开单位" not in visit(client, UNITS)[0]
    # The other process: its own client of the shared cache; this process keeps its copy.
    with monkeypatch.context() as other_process:
        other_process.setattr(cache, "cache", caches.create_connection("default"))
        evaluation_transition(record=approved, name="release", user=publisher)
    assert "待公开单位" in visit(client, UNITS)[0]


@pytest.fixture
def unreleased_year(region, approved):
    """A year of the region with one evaluation, approved but not released."""
    UnitEvaluation.objects.filter(pk=approved.pk).update(year=YEAR + 1)
    approved.refresh_from_db()
    return approved


def test_a_year_answers_404_until_the_request_after_its_release(client, unreleased_year, publisher):
    year_units = f"/{CODE}/{YEAR + 1}/units/"
    for _ in range(2):
        assert client.get(year_units).status_code == 404
    evaluation_transition(record=unreleased_year, name="release", user=publisher)
    assert "待公开单位" in visit(client, year_units)[0]


def test_a_withdrawn_year_answers_404_on_the_next_request(client, unreleased_year, publisher):
    year_units = f"/{CODE}/{YEAR + 1}/units/"
    released = evaluation_transition(record=unreleased_year, name="release", user=publisher)
    visit(client, year_units)
    visit(client, f"/{CODE}/{YEAR + 1}/units/", {"page": 1})
    evaluation_transition(record=released, name="withdraw", user=publisher, comment="更正")
    assert client.get(year_units).status_code == 404
    assert client.get(year_units, {"page": 2}).status_code == 404


def test_a_new_firm_choice_shows_on_the_next_request(client, region):
    visit(client, UNITS)
    firm = Firm.objects.create(name="丙评价公司")
    UnitEvaluation.objects.filter(pk=UnitEvaluation.objects.first().pk).update(firm=firm)
    # Another query string: a page not cached, whose firm choices are a figure.
    assert "丙评价公司" in visit(client, UNITS, {"page": 2})[0]


REDIS_URL = "redis://127.0.0.1:6379/1"


def redis_answers() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


@pytest.fixture
def shared_redis(settings):
    """Redis as the shared cache, under a key prefix of this test's own."""
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"perfmgmt-test-{uuid.uuid4().hex}",
        }
    }
    yield caches["default"]
    caches["default"].delete_many([cache.GENERATION_KEY, cache._key(RequestFactory().get(UNITS))])


def test_a_release_through_another_redis_client_shows_on_the_next_request_here(
    client, approved, publisher, shared_redis, monkeypatch
):
    assert "待公开单位" not in visit(client, UNITS)[0]
    assert visit(client, UNITS)[1] == 0
    with monkeypatch.context() as other_process:
        other_process.setattr(cache, "cache", caches.create_connection("default"))
        evaluation_transition(record=approved, name="release", user=publisher)
    assert "待公开单位" in visit(client, UNITS)[0]


def test_a_process_copy_is_dropped_once_as_old_as_the_shared_entries():
    # Without a shared cache another process's write is not seen here: the copies this
    # process holds expire like the cache's own entries (PAGE_TIMEOUT) instead of never.
    held = cache.local(7)
    held.keep_page("page", b"<html>", {})
    assert cache.local(7) is held

    held.created -= cache.PAGE_TIMEOUT + 1

    assert cache.local(7) is not held
    assert cache.local(7).pages == {}


def test_a_page_kept_again_is_counted_once():
    held = cache.Local(1)
    held.keep_page("page", b"x" * 100, {})
    held.keep_page("page", b"x" * 100, {})
    assert held.page_bytes == 100


def test_with_the_shared_cache_down_pages_answer_and_releases_commit(
    client, approved, publisher, settings
):
    # Nothing listens on port 1: every call to the cache fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    assert "待公开单位" not in visit(client, UNITS)[0]

    evaluation_transition(record=approved, name="release", user=publisher)

    assert UnitEvaluation.objects.get(pk=approved.pk).state == State.RELEASED
    assert "待公开单位" in visit(client, UNITS)[0]
