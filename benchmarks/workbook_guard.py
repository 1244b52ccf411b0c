"""Benchmark: the upload guard (evaluations.workbooks.xlsx_problems) against opening blind.

Run from /work/main:  .venv/bin/python benchmarks/workbook_guard.py

Every importer runs the guard on an upload before openpyxl opens it. For each file:

  guard        xlsx_problems(data): the zip directory, the small parts, the worksheets
               streamed in 1 MB chunks to count rows, columns and merged cells
  alternative  the filing-table reader without the guard (read_documents with
               xlsx_problems switched off: openpyxl opens the file twice, the reader walks
               each sheet's grid); for a hostile file it runs in a child process killed
               after --timeout seconds, or stopped once its memory passes --memory MB

The files: a real filing table (tests/data/layouts), a legitimate sheet at the guard's
cell limit (20,000 rows × 15 columns), and the hostile files of tests/fuzz/malformed.py
that the guard exists for. Results go to benchmarks/results/workbook_guard.md.
"""

import argparse
import contextlib
import multiprocessing
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "workbook_guard.md"
BASE = ROOT / "tests" / "data" / "layouts" / "self_evaluation_standard.xlsx"


def _timed(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _read_blind(data: bytes, memory_mb: int, pipe):
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    start = time.perf_counter()
    try:
        read_blind(data)
        pipe.send(("read", time.perf_counter() - start))
    except MemoryError:
        pipe.send(("out of memory", time.perf_counter() - start))
    except Exception as exc:  # DocumentError: the reader's own refusal
        pipe.send((f"refused ({type(exc).__name__})", time.perf_counter() - start))


def read_blind(data: bytes):
    """Read the bytes as the filing-table importer would with the guard switched off."""
    from evaluations.layouts import read

    read.xlsx_problems = lambda data: []
    try:
        return read.read_documents(data, file_name="x.xlsx")
    finally:
        from evaluations import workbooks

        read.xlsx_problems = workbooks.xlsx_problems


def open_blind(data: bytes, *, timeout: float, memory_mb: int) -> str:
    """Return how the unguarded reader fared on the bytes, in a child process."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.Process(target=_read_blind, args=(data, memory_mb, sender))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return f"not done after {timeout:.0f} s (killed)"
    if not receiver.poll():
        return f"died (exit {child.exitcode}, memory limit)"
    outcome, seconds = receiver.recv()
    return f"{outcome} in {seconds * 1000:.0f} ms"


def _quietly(function, data, expected):
    with contextlib.suppress(expected):  # no filing table in it: read to its end all the same
        function(data)


def at_the_limit(malformed) -> bytes:
    rows = "".join(
        f'<row r="{i}">'
        + "".join(f'<c r="{column}{i}"><v>{i % 997}.25</v></c>' for column in "ABCDEFGHIJKLMNO")
        + "</row>"
        for i in range(1, 20_001)
    ).encode()
    return malformed._sheet_xml(
        BASE.read_bytes(), lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + rows, 1)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--memory", type=int, default=1500)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    import django

    django.setup()
    from evaluations.documents import DocumentError
    from evaluations.workbooks import MAX_CELLS, xlsx_problems
    from tests.fuzz import malformed

    base = BASE.read_bytes()
    ordinary = [
        ("真实自评表（8 KB）", base),
        (f"{MAX_CELLS:,} 个单元格（上限）", at_the_limit(malformed)),
    ]
    hostile = [
        ("XFD1048576 单元格", malformed.far_cell(base)),
        ("整表合并 A1:XFD1048576", malformed.huge_merge(base)),
        ("五千个重叠合并", malformed.overlapping_merges(base)),
        ("整表超链接", malformed.huge_hyperlink(base)),
        ("压缩炸弹 60 MB", malformed.zip_bomb()),
        ("一百万个空行", malformed.million_blank_rows(base)),
    ]
    lines = [
        "# The upload guard against opening blind",
        "",
        f"Run: `.venv/bin/python benchmarks/workbook_guard.py` on {platform.node()}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; other helpers were loading the machine. Best of "
        "several runs for the ordinary files.",
        "",
        "Goal: the guard adds little to reading an ordinary file and answers every hostile "
        "file in milliseconds; without it the reader hangs, runs out of memory or takes "
        "seconds of a worker.",
        "",
        "## Ordinary files: what the guard adds",
        "",
        "| file | bytes | guard (goal) | reader without the guard (alternative) | guard / reader |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, data in ordinary:
        assert xlsx_problems(data) == [], name
        guard = _timed(lambda data=data: xlsx_problems(data), 5)
        load = _timed(lambda data=data: _quietly(read_blind, data, DocumentError), 2)
        lines.append(
            f"| {name} | {len(data):,} | {guard * 1000:.1f} ms | {load * 1000:.0f} ms "
            f"| {guard / load:.1%} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        "## Hostile files: the guard's answer against opening blind",
        "",
        f"The alternative runs in a child process limited to {args.memory} MB and "
        f"{args.timeout:.0f} s.",
        "",
        "| file | bytes | guard (goal) | its answer | reader without the guard (alternative) |",
        "|---|---:|---:|---|---|",
    ]
    for name, data in hostile:
        guard = _timed(lambda data=data: xlsx_problems(data), 3)
        [answer] = xlsx_problems(data)
        blind = open_blind(data, timeout=args.timeout, memory_mb=args.memory)
        lines.append(
            f"| {name} | {len(data):,} | {guard * 1000:.1f} ms | {answer[:40]}… | {blind} |"
        )
        print(lines[-1], flush=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
