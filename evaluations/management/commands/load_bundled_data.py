"""Import the bundled result tables under data/<region>/<year>/ through the importer, and
the annual report's narrative (report-narrative.json) where there is one."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluations.services.imports import region_ensure, results_import_path
from evaluations.services.report import report_texts_load

DATA_DIR = Path(settings.BASE_DIR) / "data"
TABLES = {"unit-evaluations.xlsx": "units", "project-evaluations.xlsx": "projects"}
NARRATIVE = "report-narrative.json"


class Command(BaseCommand):
    help = (
        "导入仓库 data/ 目录下自带的评价结果表并公开，以及年度报告的正文"
        "（重复运行不会改变数据；财政局已编写的报告正文不会被覆盖）。"
    )

    def handle(self, *args, **options):
        with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
            regions = {
                row["code"]: region_ensure(code=row["code"], name=row["name"])
                for row in csv.DictReader(fh)
            }
        for path in sorted(DATA_DIR.glob("*/*/*.xlsx")):
            code, year = path.parent.parent.name, int(path.parent.name)
            if path.name not in TABLES or code not in regions:
                raise CommandError(f"{path}：不认识的文件或区划")
            outcome = results_import_path(
                table=TABLES[path.name], region=regions[code], year=year, path=path, release=True
            )
            if not outcome.ok:
                raise CommandError("\n".join(outcome.errors))
            counts = "，".join(f"{label} {n}" for label, n in outcome.counts.items())
            self.stdout.write(f"{code}/{year}/{path.name}：{counts}")
        for path in sorted(DATA_DIR.glob(f"*/*/{NARRATIVE}")):
            code, year = path.parent.parent.name, int(path.parent.name)
            if code not in regions:
                raise CommandError(f"{path}：不认识的区划")
            # Only sections without a text are created: the bureau's later edits stay.
            created = report_texts_load(region=regions[code], year=year, path=path)
            self.stdout.write(f"{code}/{year}/{NARRATIVE}：新建报告正文 {len(created)} 个部分")
