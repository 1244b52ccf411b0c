"""Import the bundled result tables under data/<region>/<year>/ through the importer."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluations.services.imports import region_ensure, results_import_path

DATA_DIR = Path(settings.BASE_DIR) / "data"
TABLES = {"unit-evaluations.xlsx": "units", "project-evaluations.xlsx": "projects"}


class Command(BaseCommand):
    help = "导入仓库 data/ 目录下自带的评价结果表并公开（重复运行不会改变数据）。"

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
