"""Benchmark: a 300,000-row CSV download of a results table, streamed against built whole.

Run from /work/main:  .venv/bin/python benchmarks/exports.py [--rows 300000]

One region-year holds --rows released unit evaluations, in a fresh SQLite database in a
temporary directory (or the empty database of BENCH_DATABASE_URL). Both cases answer
GET /<region>/<year>/units/?_export=csv through django.test.Client, the whole middleware
stack included, and read the response to its end:

  streamed   the page as it is: a StreamingHttpResponse over the table's rows, read from
             the database 2,000 at a time (QuerySet.iterator) and written as they come
  whole      the download as it was before issue 7: every row fetched into the queryset,
             the whole file joined into one bytes object, then an HttpResponse

Time to first byte is from the request to the first chunk of the body in hand; total is
to the last. Peak memory is tracemalloc's peak of Python allocations during the request,
measured in a second pass (tracemalloc slows the code it watches, so the times come from a
pass without it). The streamed CSV and the XLSX of one firm's rows (a fortieth) show that
the CSV's peak does not grow with the rows, and what openpyxl's write-only workbook takes.
Results go to benchmarks/results/exports.md.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
import tracemalloc
import types
from pathlib import Path

from released import released_units, setup_django

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "exports.md"
CODE, YEAR = "529902", 2021


def build(rows: int):
    released_units(code=CODE, name="导出测试区", year=YEAR, rows=rows)


def bench_urls():
    """Return a URL module: the project's URLs plus the download as it was built before."""
    from django.http import HttpResponse
    from django.urls import include, path
    from django.utils.http import content_disposition_header
    from django_tables2 import RequestConfig

    from evaluations import exports, selectors
    from evaluations.filters import UnitResultFilter
    from evaluations.models import Region
    from evaluations.tables import UnitResultTable

    def whole(request):
        region = Region.objects.get(code=CODE)
        filterset = UnitResultFilter(
            request.GET,
            queryset=selectors.unit_results(region=region, year=YEAR),
            firms=selectors.unit_result_firms(region=region, year=YEAR),
        )
        table = UnitResultTable(filterset.qs, region=region)
        RequestConfig(request, paginate=False).configure(table)
        csv = exports.FORMATS["csv"]
        # As before issue 7: the queryset itself (every row held), the file joined whole.
        rows = table.data.data
        response = HttpResponse(
            b"".join(csv.chunks(rows, table.export_columns)), content_type=csv.content_type
        )
        response["Content-Disposition"] = content_disposition_header(True, "units.csv")
        return response

    module = types.ModuleType("bench_export_urls")
    module.urlpatterns = [path("bench/whole/", whole), path("", include("perfmgmt.urls"))]
    sys.modules["bench_export_urls"] = module
    return "bench_export_urls"


def download(client, url, *, memory: bool) -> dict:
    """GET url and read the body to its end; return the times (ms), size and peak (MB)."""
    if memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
    start = time.perf_counter()
    response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    chunks = iter(response.streaming_content if response.streaming else [response.content])
    first = next(chunks)
    first_byte = time.perf_counter() - start
    size = len(first) + sum(len(chunk) for chunk in chunks)
    total = time.perf_counter() - start
    peak = 0
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "first_byte": first_byte * 1000,
        "total": total * 1000,
        "bytes": size,
        "peak": peak / 2**20,
        "streamed": response.streaming,
    }


def run(rows: int) -> list[dict]:
    from django.test import Client

    client = Client()
    streamed = f"/{CODE}/{YEAR}/units/?_export=csv"
    cases = [("streamed (StreamingHttpResponse)", streamed), ("whole (as before)", "/bench/whole/")]
    results = []
    for name, url in cases:
        timing = download(client, url, memory=False)
        memory = download(client, url, memory=True)
        results.append({"case": name, **timing, "peak": memory["peak"]})
        print(results[-1], flush=True)
    from evaluations.models import Firm

    # The same downloads of one firm's rows (a fortieth): a streamed CSV's peak stays put.
    firm = Firm.objects.order_by("pk").first().pk
    for name, export_format in (("streamed CSV", "csv"), ("XLSX (write-only workbook)", "xlsx")):
        url = f"/{CODE}/{YEAR}/units/?_export={export_format}&firm={firm}"
        timing = download(client, url, memory=False)
        memory = download(client, url, memory=True)
        results.append(
            {"case": f"{name}, one firm: {rows // 40:,} rows", **timing, "peak": memory["peak"]}
        )
        print(results[-1], flush=True)
    return results


def report(results, *, rows, database) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    streamed, whole = results[0], results[1]
    lines = [
        "# CSV export of 300,000 rows (issue 7, item 4)",
        "",
        f"Generated by `benchmarks/exports.py` on {stamp}. One region-year of {rows:,} released "
        f"unit evaluations; database: {database}. Each download is a GET of the units table "
        "with `?_export=csv` through `django.test.Client` (whole middleware stack), its body "
        "read to the end. Peak memory: tracemalloc's peak of Python allocations during the "
        "request (a separate pass from the timed one).",
        "",
        "| case | first byte ms | total ms | size MB | peak memory MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['case']} | {r['first_byte']:.0f} | {r['total']:.0f} "
            f"| {r['bytes'] / 2**20:.1f} | {r['peak']:.1f} |"
        )
    lines += [
        "",
        "## Against the goal",
        "",
        "Goal: the CSV streams — constant memory, first byte quickly.",
        "",
        f"- Peak memory: {streamed['peak']:.1f} MB streamed against {whole['peak']:.1f} MB "
        f"built whole ({whole['peak'] / streamed['peak']:.0f}× less); streamed, it does not "
        f"grow with the rows: {results[2]['peak']:.1f} MB for a fortieth of them (at most "
        "2,000 rows of model instances and one CSV line are held at a time).",
        f"- First byte: {streamed['first_byte']:.0f} ms streamed against "
        f"{whole['first_byte']:.0f} ms ({whole['first_byte'] / streamed['first_byte']:.0f}× "
        "sooner).",
        f"- Total: {streamed['total']:.0f} ms streamed against {whole['total']:.0f} ms built "
        "whole.",
        "- XLSX stays an openpyxl write-only workbook (rows are written to a temporary file "
        "as they come, not held as cells); the file itself is built in memory before it is "
        "sent, so its peak grows with the file's compressed size. Large XLSX files are for "
        "the background jobs of item 4.",
        "",
        "## Machine",
        "",
        f"- {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        "shared with other work while measuring.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        database_url = (
            os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{directory}/exports.sqlite3"
        )
        setup_django(database_url)
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        build(args.rows)
        settings.ROOT_URLCONF = bench_urls()
        settings.ALLOWED_HOSTS = ["testserver"]
        results = run(args.rows)
        database = "PostgreSQL" if "postgres" in database_url else "SQLite (temporary file)"
        RESULTS.write_text(report(results, rows=args.rows, database=database))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
