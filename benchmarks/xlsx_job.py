"""Benchmark: a large results XLSX as a background job, against the admin's in-request export.

Run from /work/main:  .venv/bin/python benchmarks/xlsx_job.py [--rows 20000 100000]

For each size a fresh SQLite database (temporary directory) gets one region's year: 1,000
unit evaluations and N projects of one funding line each. Then, each case in a subprocess of
its own (so that its peak resident set is its own):

  job          what the user waits for: job_start (the request that queues the job); then
               the worker's run of the job (db_worker --batch in the subprocess): openpyxl
               write-only, progress every 500 rows, the file into private storage
  in-request   the admin's export as django-import-export does it inside the request: both
               resources' export() into tablib datasets, then the XLSX format's export_data,
               all before the first byte of the response

Measured: seconds until the user's request returns, the seconds to the finished file, and the
growth of the process's peak resident set (ru_maxrss) over its size before the export.
Results go to benchmarks/results/xlsx_job.md.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "xlsx_job.md"
UNITS = 1000
YEAR = 2022


def setup_django(database: Path, files: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["JOB_FILES_DIR"] = str(files)
    os.environ["TASKS_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    import django

    django.setup()


def prepare(rows: int) -> None:
    """Migrate the database and give it the region's year (bulk inserts)."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from evaluations.models import FundingLine, Project, Unit, UnitEvaluation
    from evaluations.services.imports import region_ensure

    call_command("migrate", verbosity=0)
    User.objects.create_superuser("bench", password="bench-only")
    region = region_ensure(code="520111", name="花溪区")
    units = Unit.objects.bulk_create(
        Unit(region=region, name=f"测试单位{i:04d}", kind="department") for i in range(UNITS)
    )
    UnitEvaluation.objects.bulk_create(
        UnitEvaluation(region=region, year=YEAR, unit=unit, self_score=Decimal("90.50"))
        for unit in units
    )
    for start in range(0, rows, 10_000):
        projects = Project.objects.bulk_create(
            Project(
                region=region,
                year=YEAR,
                number=n + 1,
                name=f"测试项目{n + 1:06d}",
                unit=units[n % UNITS],
            )
            for n in range(start, min(start + 10_000, rows))
        )
        FundingLine.objects.bulk_create(
            FundingLine(
                project=project,
                position=1,
                label=project.name,
                amount=Decimal("476.604"),
                self_score=Decimal("99.90"),
            )
            for project in projects
        )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def job_case() -> dict:
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from evaluations.models import Job, JobKind, Region
    from evaluations.services.jobs import job_start

    user, region = User.objects.get(), Region.objects.get()
    before = peak_mb()
    started = time.perf_counter()
    job = job_start(user=user, kind=JobKind.RESULTS_XLSX, region=region, year=YEAR)
    queued = time.perf_counter() - started
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finished = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    assert job.state == "done", job.error
    return {
        "request_s": queued,
        "file_s": finished,
        "growth_mb": peak_mb() - before,
        "rows": job.total,
        "file_mb": Path(job.file.path).stat().st_size / 2**20,
    }


def in_request_case() -> dict:
    from import_export.formats.base_formats import XLSX

    from evaluations.imports.projects import ProjectResource
    from evaluations.imports.units import UnitEvaluationResource
    from evaluations.models import FundingLine, UnitEvaluation

    before = peak_mb()
    started = time.perf_counter()
    units = UnitEvaluationResource().export(
        UnitEvaluation.objects.select_related("unit", "firm").order_by("pk")
    )
    lines = ProjectResource().export(
        FundingLine.objects.select_related("project", "project__unit").order_by(
            "project__number", "position"
        )
    )
    content = XLSX().export_data(units) + XLSX().export_data(lines)
    elapsed = time.perf_counter() - started
    return {
        "request_s": elapsed,
        "file_s": elapsed,
        "growth_mb": peak_mb() - before,
        "rows": len(units) + len(lines),
        "file_mb": len(content) / 2**20,
    }


def child(args) -> None:
    setup_django(Path(args.database), Path(args.files))
    if args.case == "prepare":
        prepare(args.rows)
        print(json.dumps({}))
        return
    # Load the code both cases import before the baseline, so only the export is measured.
    from import_export.formats.base_formats import XLSX  # noqa: F401

    import evaluations.tasks  # noqa: F401

    result = job_case() if args.case == "job" else in_request_case()
    print(json.dumps(result))


def run(case: str, rows: int, database: Path, files: Path) -> dict:
    command = [sys.executable, __file__, "--case", case, "--rows", str(rows)]
    command += ["--database", str(database), "--files", str(files)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{case} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: list[dict]) -> str:
    lines = [
        "# Large XLSX export: background job vs in-request export",
        "",
        "Goal (issue 7, item 4): a large XLSX is produced by a background job, so the user's",
        "request returns at once and the page shows progress and then a link; the worker's",
        "memory stays flat as rows grow (openpyxl write-only). Alternative: the admin's export",
        "as django-import-export runs it, inside the request (tablib datasets, then XLSX).",
        "Same rows (the importable layout of both tables), same SQLite database, one run.",
        "",
        "| rows | case | request returns (s) | file ready (s) | peak RSS growth (MB) | file MB |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for case in ("job", "in-request"):
            m = r[case]
            lines.append(
                f"| {m['rows']:,} | {case} | {m['request_s']:.3f} | {m['file_s']:.1f} "
                f"| {m['growth_mb']:.0f} | {m['file_mb']:.1f} |"
            )
    lines += ["", "| rows | request time, in-request ÷ job | memory growth, in-request ÷ job |"]
    lines += ["|---:|---:|---:|"]
    for r in results:
        job, sync = r["job"], r["in-request"]
        lines.append(
            f"| {job['rows']:,} | {sync['request_s'] / job['request_s']:,.0f}× "
            f"| {sync['growth_mb'] / max(job['growth_mb'], 1):.1f}× |"
        )
    lines += [
        "",
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores shared with other work while measuring; SQLite. "
        "Peak RSS growth is ru_maxrss after the export minus before it, in a subprocess per "
        "case (growth below 1 MB shows as 0). The job's file time includes the worker's "
        "claim, the progress writes (every 500 rows) and the heartbeat watch it queues.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[20_000, 100_000])
    parser.add_argument("--case", choices=["prepare", "job", "in-request"])
    parser.add_argument("--database")
    parser.add_argument("--files")
    args = parser.parse_args()
    if args.case:
        args.rows = args.rows[0]
        child(args)
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            database, files = Path(tmp) / f"bench-{rows}.sqlite3", Path(tmp) / "jobs"
            run("prepare", rows, database, files)
            result = {case: run(case, rows, database, files) for case in ("job", "in-request")}
            print(rows, json.dumps(result), flush=True)
            results.append(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report(results), encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
