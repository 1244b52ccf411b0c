"""Benchmark: the public results pages at 10,000 rows, against floors measured in the same run.

Run from /work/main:  .venv/bin/python benchmarks/pages.py [--rows 10000] [--requests 300]

One region-year holds --rows released unit evaluations and --rows released projects (two
funding lines each), in a fresh SQLite database in a temporary directory (or the database
of BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/h1, which must be empty).
Every case is a GET through django.test.Client, so each pays the project's whole middleware
stack (sessions, CSRF, CSP, security headers) and URL resolution alike; 50 rows are shown:

  bare view          a view returning a constant HttpResponse: the least a request costs
  floor (units)      the 50 best unit evaluations with their unit and firm, and the count,
                     through a plain Django template loop (one variable per cell); the rows
                     of the page's own selector (selectors.unit_results)
  floor (projects)   50 projects with their funding lines, and the count, likewise
                     (selectors.project_results)
  tables2 default    the units page's table through django-tables2's own default template
                     (django_tables2/table.html), same rows, no filter form
  units / projects   our results pages, ?per_page=50, uncached: the page is in no cache
                     (a page not visited yet in this generation), the figures of the
                     generation (region, filter choices) are held in the process
  first after a write the same, with the generation bumped before the request (outside
                     the timing): the figures are read again too
  cached             the same pages served from the cache: LocMem, then Redis
                     (redis://127.0.0.1:6379/15) when it answers
  year overview      /<region>/<year>/, cached and uncached

The cases take turns, one request each per round, --requests rounds after 20 warm-up
rounds, in two rotations (rendered pages and their floors; cached pages and the bare
view); p50 and p95 of wall-clock time and the median CPU time, in ms. With --plans
DATABASE_URL (a province-sized PostgreSQL database, e.g. one filled by generate_demo_data),
the plans of the pages' queries there are added. Results go to benchmarks/results/pages.md.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import types
from decimal import Decimal
from pathlib import Path

from released import released_units, setup_django

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "pages.md"
CODE, YEAR, SHOWN = "529901", 2021, 50
REDIS_URL = "redis://127.0.0.1:6379/15"
WARM_UP = 20

FLOOR_UNITS = """<p>共 {{ count }} 条</p><table><tbody>
{% for e in rows %}<tr><td>{{ e.firm.name }}</td><td>{{ e.unit.name }}</td>\
<td>{{ e.unit.get_kind_display }}</td><td>{{ e.score }}</td><td>{{ e.grade }}</td></tr>
{% endfor %}</tbody></table>"""
FLOOR_PROJECTS = """<p>共 {{ count }} 条</p><table><tbody>
{% for p in rows %}<tr><td>{{ p.number }}</td><td>{{ p.name }}<ul>{% for line in \
p.funding_lines.all %}<li>{{ line.label }} {{ line.amount }} {{ line.self_score }}</li>\
{% endfor %}</ul></td><td>{{ p.total_amount }}</td><td>{{ p.min_self_score }}</td>\
<td>{{ p.score }}</td><td>{{ p.grade }}</td></tr>
{% endfor %}</tbody></table>"""


def build(rows: int):
    """Create one region-year of rows unit evaluations and rows projects, all released."""
    from evaluations.grading import grade_for
    from evaluations.models import FundingLine, Project, Unit
    from evaluations.workflow import State

    region, firms = released_units(code=CODE, name="基准测试区", year=YEAR, rows=rows)
    units = list(Unit.objects.filter(region=region).order_by("pk"))
    projects = Project.objects.bulk_create(
        (
            Project(
                region=region,
                year=YEAR,
                number=i + 1,
                name=f"第{i:05d}号重点项目",
                unit=units[i % len(units)],
                firm=firms[i % len(firms)],
                score=score,
                grade=grade_for(score),
                state=State.RELEASED,
            )
            for i in range(rows)
            for score in [Decimal(6000 + (i * 53) % 4000) / 100]
        ),
        batch_size=2000,
    )
    FundingLine.objects.bulk_create(
        (
            FundingLine(
                project=project,
                position=position,
                label=f"{project.name}{suffix}",
                amount=Decimal("100.123456") * position,
                self_score=Decimal("90.00") + position,
            )
            for project in projects
            for position, suffix in ((1, ""), (2, "（专项资金）"))
        ),
        batch_size=2000,
    )
    return region


def bench_urls():
    """Return a URL module: the project's URLs plus the floors measured against."""
    import django_tables2
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.template import engines
    from django.urls import include, path

    from evaluations import selectors
    from evaluations.models import Region
    from evaluations.tables import UnitResultTable

    django_engine = engines["django"]
    units_template = django_engine.from_string(FLOOR_UNITS)
    projects_template = django_engine.from_string(FLOOR_PROJECTS)

    def bare(request):
        return HttpResponse("ok")

    # The floors read the same rows as the pages, through the same selectors.
    region = Region.objects.get(code=CODE)

    def floor_units(request):
        queryset = selectors.unit_results(region=region, year=YEAR)
        context = {"count": queryset.count(), "rows": queryset[:SHOWN]}
        return HttpResponse(units_template.render(context, request))

    def floor_projects(request):
        queryset = selectors.project_results(region=region, year=YEAR)
        context = {"count": queryset.count(), "rows": queryset[:SHOWN]}
        return HttpResponse(projects_template.render(context, request))

    class DefaultTable(UnitResultTable):
        class Meta(UnitResultTable.Meta):
            template_name = "django_tables2/table.html"

    def tables2_default(request):
        table = DefaultTable(selectors.unit_results(region=region, year=YEAR), region=region)
        django_tables2.RequestConfig(request, paginate={"per_page": SHOWN}).configure(table)
        return render(request, "django_tables2/table.html", {"table": table})

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("bench/bare/", bare),
        path("bench/floor/units/", floor_units),
        path("bench/floor/projects/", floor_projects),
        path("bench/tables2/", tables2_default),
        path("", include("perfmgmt.urls")),
    ]
    sys.modules["bench_urls"] = module
    return "bench_urls"


def pageless_cache():
    from django.core.cache.backends.locmem import LocMemCache

    class PagelessCache(LocMemCache):
        def set(self, key, value, timeout=None, version=None):
            pass

    return PagelessCache


def __getattr__(name):
    # benchmarks.pages.PagelessCache, made only once Django is set up.
    if name == "PagelessCache":
        return pageless_cache()
    raise AttributeError(name)


def measure(client, cases, requests: int) -> dict:
    """Time every case once per round, for warm-up then requests rounds: interleaved, so
    that the load other work puts on the machine falls on every case alike.

    Return for each case its wall-clock and CPU (this process) times in ms.
    """
    times = {name: ([], []) for name, *_ in cases}
    for round_number in range(WARM_UP + requests):
        for name, url, before, _ in cases:
            before()
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, secure=True)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            assert response.status_code == 200, (name, response.status_code)
            if round_number >= WARM_UP:
                times[name][0].append(wall * 1000)
                times[name][1].append(cpu * 1000)
    return times


def queries(client, url, before) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A request first, as in the timed rounds: the one before leaves the figures (and for
    # the cached cases, the page) of the generation held.
    before()
    client.get(url, secure=True)
    before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    return len(captured)


def percentile(values, q) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def redis_answers() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


def run(requests: int) -> list[dict]:
    """Measure every case; the cache backend is swapped between requests, outside the timing.

    Two rotations, each interleaved on its own: the rendered pages against their floors,
    then the cached pages against the bare view. A request that follows a 60 ms render
    runs slower (caches of the CPU, the allocator), so a cheap case never follows a heavy one.
    """
    from django.core.cache import caches
    from django.test import Client

    from evaluations import cache

    backends = {"LocMem": caches["locmem"], "none": caches["uncached"]}
    if redis_answers():
        backends["Redis"] = caches["redis"]
        backends["Redis"].clear()

    client = Client()

    def using(backend, *, fresh=False, missed_url=None):
        def before():
            cache.cache = backends[backend]
            if fresh:
                cache.bump()
            if missed_url:
                # The page is in no cache, the figures of the generation are held: a case
                # of the rotation may have bumped the generation, so a request reads them.
                client.get(missed_url, secure=True)
                cache.local(cache.generation()).pages.clear()

        return before

    base = f"/{CODE}/{YEAR}"
    units, projects = f"{base}/units/?per_page={SHOWN}", f"{base}/projects/?per_page={SHOWN}"
    rendered = [
        ("floor: plain template, units", "/bench/floor/units/", using("LocMem"), "-"),
        ("floor: plain template, projects", "/bench/floor/projects/", using("LocMem"), "-"),
        ("tables2 default template, units", "/bench/tables2/", using("LocMem"), "-"),
        ("our units page, uncached", units, using("none", missed_url=units), "-"),
        ("our projects page, uncached", projects, using("none", missed_url=projects), "-"),
        ("year overview, uncached", f"{base}/", using("none", missed_url=f"{base}/"), "-"),
        ("our units page, first after a write", units, using("none", fresh=True), "-"),
        ("our projects page, first after a write", projects, using("none", fresh=True), "-"),
    ]
    cached = [("bare view", "/bench/bare/", using("LocMem"), "-")]
    for backend in sorted(backends.keys() - {"none"}):
        cached += [
            ("our units page, cached", units, using(backend), backend),
            ("our projects page, cached", projects, using(backend), backend),
            ("year overview, cached", f"{base}/", using(backend), backend),
        ]
    results = []
    for cases in (rendered, cached):
        times = measure(client, [(f"{n}|{b}", u, f, b) for n, u, f, b in cases], requests)
        for name, url, before, backend in cases:
            wall, cpu = times[f"{name}|{backend}"]
            results.append(
                {
                    "case": name,
                    "cache": backend,
                    "p50": statistics.median(wall),
                    "p95": percentile(wall, 95),
                    "cpu": statistics.median(cpu),
                    "queries": queries(client, url, before),
                }
            )
            print(results[-1], flush=True)
    return results


GOALS = (
    # (goal, case, cache, against, limit, statistic)
    (
        "units page uncached ≤ 1.5× plain-template floor",
        "our units page, uncached",
        "-",
        "floor: plain template, units",
        1.5,
        "p50",
    ),
    (
        "projects page uncached ≤ 1.5× plain-template floor",
        "our projects page, uncached",
        "-",
        "floor: plain template, projects",
        1.5,
        "p50",
    ),
    (
        "the alternative: tables2's default template vs the floor",
        "tables2 default template, units",
        "-",
        "floor: plain template, units",
        1.5,
        "p50",
    ),
    *(
        (f"{case} ({backend}) ≤ 3× bare view at p95", case, backend, "bare view", 3, "p95")
        for backend in ("LocMem", "Redis")
        for case in ("our units page, cached", "our projects page, cached", "year overview, cached")
    ),
)


def report(results, *, rows, requests, database) -> str:
    by = {(r["case"], r["cache"]): r for r in results}
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "# Public pages at 10,000 rows (issue 7, item 2)",
        "",
        f"Generated by `benchmarks/pages.py` on {stamp}.",
        f"One region-year of {rows:,} released unit evaluations and {rows:,} projects "
        f"(two funding lines each), {SHOWN} rows shown; database: {database}. "
        f"Each case: {requests} GET requests through `django.test.Client` (the whole "
        "middleware stack and URL resolution, no network), after "
        f"{WARM_UP} warm-up rounds; the cases take turns, one request each per round, so "
        "that load from other work on the machine falls on all of them alike, in two "
        "rotations: the rendered pages with their floors, then the cached pages with the "
        "bare view (a cheap request right after a 60 ms render runs 2–3× slower, so they are "
        "not mixed). An uncached page is one not in any cache, with the generation's figures "
        '(region, filter choices) held; "first after a write" has its generation bumped '
        "first, so it reads those again. Wall-clock "
        "p50/p95 and the median CPU time of this process (less sensitive to that load), in ms.",
        "",
        "| case | cache | p50 ms | p95 ms | CPU p50 ms | queries |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['case']} | {r['cache']} | {r['p50']:.2f} | {r['p95']:.2f} "
            f"| {r['cpu']:.2f} | {r['queries']} |"
        )
    lines += [
        "",
        "## Against the goals",
        "",
        "| goal | measured vs against | ratio | ratio of CPU p50 | met (wall) |",
        "|---|---|---:|---:|---|",
    ]
    for text, case, backend, against, limit, stat in GOALS:
        if (case, backend) not in by:
            continue
        measured, floor = by[(case, backend)], by[(against, "-")]
        ratio = measured[stat] / floor[stat]
        lines.append(
            f"| {text} | {measured[stat]:.2f} vs {floor[stat]:.2f} ms ({stat}) | {ratio:.2f}× "
            f"| {measured['cpu'] / floor['cpu']:.2f}× | {'yes' if ratio <= limit else 'no'} |"
        )
    lines += [
        "",
        "## Machine",
        "",
        f"- {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, shared with other work while measuring.",
        "- Redis on 127.0.0.1:6379 (database 15) for the Redis rows.",
        "",
    ]
    return "\n".join(lines)


def explain_pages(region_code: str, year: int) -> str:
    """Return, as Markdown, the PostgreSQL plan of every query of a region-year's pages:
    which index (or sequential scan) each step reads. Run in its own process (--plans-only),
    with the province database as the default one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    base = f"/{region_code}/{year}"
    lines = []
    for name, url in (
        ("units page", f"{base}/units/?per_page={SHOWN}"),
        ("projects page", f"{base}/projects/?per_page={SHOWN}"),
        ("year overview", f"{base}/"),
        ("home page (every region's years)", "/"),
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, secure=True).status_code == 200, url
        lines += ["", f"### {name} (`{url}`)", ""]
        for number, query in enumerate(captured.captured_queries, start=1):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + query["sql"])
                plan = [row[0] for row in cursor.fetchall()]
            steps = [
                step.strip().removeprefix("-> ")
                for step in plan
                if "Scan" in step or "Execution Time" in step
            ]
            lines.append(f"{number}. `{query['sql'][:90]}…`: " + "; ".join(steps))
    return "\n".join(lines)


def plans(database_url: str) -> str:
    """Return the plans of the pages on the (province-sized) PostgreSQL database_url."""
    import subprocess

    result = subprocess.run(
        [sys.executable, __file__, "--plans-only", database_url],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--plans",
        metavar="DATABASE_URL",
        help="a province-sized PostgreSQL database whose query plans to add to the results",
    )
    parser.add_argument("--plans-only", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--region", default="520005", help="the region of --plans")
    parser.add_argument("--year", type=int, default=2020, help="the year of --plans")
    args = parser.parse_args()
    if args.plans_only:
        setup_django(args.plans_only)
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["testserver"]
        print(explain_pages(args.region, args.year))
        return
    with tempfile.TemporaryDirectory() as directory:
        database_url = (
            os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{directory}/pages.sqlite3"
        )
        setup_django(database_url)
        from django.conf import settings

        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "locmem": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "cached",
            },
            # Holds the generation but never a page: every request misses.
            "uncached": {"BACKEND": "benchmarks.pages.PagelessCache", "LOCATION": "uncached"},
            "redis": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": "perfmgmt-bench",
            },
        }
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        build(args.rows)
        settings.ROOT_URLCONF = bench_urls()
        settings.ALLOWED_HOSTS = ["testserver"]
        results = run(args.requests)
        database = "PostgreSQL" if "postgres" in database_url else "SQLite (temporary file)"
        text = report(results, rows=args.rows, requests=args.requests, database=database)
        if args.plans:
            text += (
                "\n## Query plans on a province (PostgreSQL)\n\n"
                f"`EXPLAIN ANALYZE` of each query of region {args.region}'s {args.year} pages "
                "in a database of 90 regions × 10 years (63,000 unit evaluations, 270,000 "
                "projects, 540,000 funding lines; 60 % released). `project_public` and "
                "`unit_evaluation_public` are the partial indexes of migration 0009.\n"
                + plans(args.plans)
            )
        RESULTS.write_text(text)
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
