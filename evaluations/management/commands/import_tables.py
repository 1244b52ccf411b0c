from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from evaluations.documents import Kind
from evaluations.models import Region
from evaluations.services.documents import documents_import


class Command(BaseCommand):
    help = (
        "导入绩效目标申报表、绩效监控表或绩效自评表（xlsx，每个工作表一张表），"
        "以 --user 指定的登录身份写入（权限与管理后台相同）；"
        "--approved 表示已在别处审核通过的历史表（仅财政局审核人）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="xlsx 文件")
        parser.add_argument("--region", required=True, help="6位区划代码，如 520111")
        parser.add_argument("--user", required=True, help="以哪个登录名的身份导入")
        parser.add_argument("--year", type=int, help="表中未写年度时使用的年度")
        parser.add_argument("--kind", choices=Kind.values, help="表的种类（默认按内容识别）")
        parser.add_argument("--approved", action="store_true", help="以“已审核通过”导入")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, file, region, user, year, kind, approved, dry_run, **options):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"登录名 {user} 不存在或已停用")
        try:
            region_obj = Region.objects.get(code=region)
        except Region.DoesNotExist:
            raise CommandError(f"区划 {region} 不存在，请先在管理后台登记") from None
        if not file.is_file():
            raise CommandError(f"找不到文件 {file}")
        try:
            outcome = documents_import(
                data=file.read_bytes(),
                file_name=file.name,
                user=account,
                region=region_obj,
                year=year,
                kind=kind,
                approved=approved,
                dry_run=dry_run,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "无权导入") from None
        if not outcome.ok:
            for message in outcome.errors:
                self.stderr.write(message)
            raise CommandError(f"{file.name}：{len(outcome.errors)} 处错误，未写入任何数据")
        verb = "检查通过（未写入）" if dry_run else "导入完成"
        for result in outcome.results:
            action = "新建" if result.created else "更新"
            self.stdout.write(f"{file.name}：{verb}：{action} {result.record}")
            for note in result.notes:
                self.stdout.write(f"  · {note}")
