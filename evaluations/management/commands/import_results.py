from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Region
from evaluations.services.imports import IMPORTERS, results_import_path


class Command(BaseCommand):
    help = "导入一张绩效评价结果表（xlsx）：部门整体（units）或重点项目（projects）。"

    def add_arguments(self, parser):
        parser.add_argument("table", choices=sorted(IMPORTERS), help="units 或 projects")
        parser.add_argument("file", type=Path, help="xlsx 文件")
        parser.add_argument("--region", required=True, help="6位区划代码，如 520111")
        parser.add_argument("--year", required=True, type=int, help="评价年度，如 2021")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--release", action="store_true", help="以“已公开”导入（已在别处审核公开的历史结果）"
        )

    def handle(self, *args, table, file, region, year, dry_run, release, **options):
        try:
            region_obj = Region.objects.get(code=region)
        except Region.DoesNotExist:
            raise CommandError(f"区划 {region} 不存在，请先在管理后台登记") from None
        if not file.is_file():
            raise CommandError(f"找不到文件 {file}")
        if file.suffix.lower() != ".xlsx":
            raise CommandError(f"{file.name}：仅接受 .xlsx 文件")
        outcome = results_import_path(
            table=table, region=region_obj, year=year, path=file, dry_run=dry_run, release=release
        )
        if not outcome.ok:
            for message in outcome.errors:
                self.stderr.write(message)
            raise CommandError(f"{file.name}：{len(outcome.errors)} 处错误，未写入任何数据")
        counts = "，".join(f"{label} {n}" for label, n in outcome.counts.items())
        verb = "检查通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(f"{file.name}：{verb}：{counts}")
