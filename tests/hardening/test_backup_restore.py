"""A backup taken with the documented command restores to an identical site.

README, "生产部署", gives the commands: pg_dump -Fc / createdb / pg_restore on PostgreSQL,
sqlite3's .backup / .restore on SQLite. Each test loads the bundled 2021 report and some
review work (workflow events, history), backs the database up with those commands, restores
it into a new database, points the site at the copy and compares: every public page byte
for byte, the row count of every table, and the rows of the history and event tables.
"""

import io
import os
import re
import subprocess
import zipfile
from contextlib import contextmanager
from decimal import Decimal

import dj_database_url
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from evaluations.models import Unit, UnitEvaluation, WorkflowEvent
from evaluations.roles import role_user_create
from evaluations.services.workflow import evaluation_transition
from evaluations.workflow import Role, State

PASSWORD = "a-long-passphrase-1"
# Spreadsheets and documents carry the time they were written (docProps/core.xml); the
# rest of the package must match.
WRITTEN_AT = "docProps/core.xml"
MAX_PAGES = 400


@pytest.fixture
def site(transactional_db):
    """The bundled data, a 2022 record sent back once, and a 2021 result withdrawn and
    released again."""
    call_command("load_bundled_data", stdout=io.StringIO())
    unit = Unit.objects.get(name="贵阳市花溪区教育局")
    dept = role_user_create(username="dept", role=Role.DEPARTMENT, password=PASSWORD, units=[unit])
    reviewer = role_user_create(username="reviewer", role=Role.REVIEWER, password=PASSWORD)
    publisher = role_user_create(username="publisher", role=Role.PUBLISHER, password=PASSWORD)
    draft = UnitEvaluation.objects.create(
        region=unit.region, year=2022, unit=unit, self_score=Decimal("92.50")
    )
    evaluation_transition(record=draft, name="submit", user=dept)
    evaluation_transition(record=draft, name="return_to_unit", user=reviewer, comment="请补充佐证")
    released = UnitEvaluation.objects.get(year=2021, unit=unit, state=State.RELEASED)
    evaluation_transition(record=released, name="withdraw", user=publisher, comment="更正名称")
    evaluation_transition(record=released, name="release", user=publisher)
    assert WorkflowEvent.objects.count() >= 4
    return unit.region


def links(body: bytes) -> set[str]:
    admin = f"/{settings.ADMIN_URL}"
    found = re.findall(rb'href="(/[^"#]*)', body)
    urls = {url.decode().replace("&amp;", "&") for url in found}
    static = "/" + settings.STATIC_URL.lstrip("/")
    return {url for url in urls if not url.startswith((admin, static))}


def comparable(response) -> tuple:
    """What must be identical: the status, the type and the body (a package's members)."""
    body = response.getvalue()
    kind = response.get("Content-Type", "")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as package:
            body = {n: package.read(n) for n in package.namelist() if n != WRITTEN_AT}
    return response.status_code, kind, body


def public_site(client, urls=None) -> dict:
    """Every public page reachable from the home page (or the given URLs), fetched afresh."""
    cache.clear()
    pages, queue = {}, sorted(urls) if urls else ["/"]
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        pages[url] = comparable(response)
        if urls is None and "html" in response.get("Content-Type", ""):
            queue.extend(sorted(links(response.getvalue()) - pages.keys()))
    return pages


def tables() -> dict:
    """Each table's row count, and the rows of the history and event tables."""
    counts, rows = {}, {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")
            counts[table] = cursor.fetchone()[0]
            if "historical" in table or table == WorkflowEvent._meta.db_table:
                cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")
                rows[table] = cursor.fetchall()
    return {"counts": counts, "rows": rows}


@contextmanager
def site_served_from(database_name):
    """Point the site's database connection at another database, then back."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database_name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def assert_identical(client, before_pages, before_tables):
    after_pages = public_site(client, before_pages.keys())
    differing = [url for url in before_pages if after_pages[url] != before_pages[url]]
    assert not differing, differing[:10]
    after_tables = tables()
    assert after_tables["counts"] == before_tables["counts"]
    assert after_tables["rows"] == before_tables["rows"]


def sh(*args):
    password = connection.settings_dict.get("PASSWORD")
    env = {**os.environ, "PGPASSWORD": password} if password else None
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, f"{' '.join(args)}: {done.stderr}"


def database_url(name):
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's pg_dump/pg_restore: run with DATABASE_URL=postgres://… "
    "(the SQLite backup has its own test below)",
)
def test_a_postgresql_backup_restores_to_an_identical_site(client, site, tmp_path):
    pages, rows = public_site(client), tables()
    assert len(pages) > 100
    assert rows["rows"][WorkflowEvent._meta.db_table]
    dump = tmp_path / "perfmgmt.dump"
    # Named after the configured database ("h2" → "h2_restore"), not the test database.
    restored = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"] + "_restore"
    db = connection.settings_dict
    server = ["-h", db["HOST"], "-p", str(db["PORT"] or 5432), "-U", db["USER"]]

    sh(
        "pg_dump",
        "--format=custom",
        f"--file={dump}",
        database_url(db["NAME"]),
    )
    sh("dropdb", *server, "--if-exists", restored)
    sh("createdb", *server, restored)
    try:
        sh(
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={database_url(restored)}",
            str(dump),
        )
        with site_served_from(restored):
            assert_identical(client, pages, rows)
    finally:
        sh("dropdb", *server, "--if-exists", restored)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's .backup: the suite runs on PostgreSQL (its pg_dump test runs instead)",
)
def test_a_sqlite_backup_restores_to_an_identical_site(client, site, tmp_path):
    pages, rows = public_site(client), tables()
    assert len(pages) > 100
    backup, restored = tmp_path / "perfmgmt-backup.sqlite3", tmp_path / "db.sqlite3"

    sh("sqlite3", connection.settings_dict["NAME"], f".backup '{backup}'")
    sh("sqlite3", str(restored), f".restore '{backup}'")

    with site_served_from(str(restored)):
        assert_identical(client, pages, rows)
