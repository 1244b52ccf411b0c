"""Create the demo logins of a local installation (idempotent)."""

import os

from django.contrib.auth.models import Group, Permission, User
from django.core.management.base import BaseCommand

CLERK_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("unitevaluation", "project")
    for action in ("view", "add", "change", "import", "export")
] + [
    f"{action}_{model}"
    for model in ("region", "firm", "unit", "fundingline")
    for action in ("view", "add", "change")
]


class Command(BaseCommand):
    help = "创建演示账号：admin（超级用户）与 clerk（财政局经办人，可导入导出）。"

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "perfmgmt-demo-2021")
        bureau, _ = Group.objects.get_or_create(name="财政局经办人")
        bureau.permissions.set(
            Permission.objects.filter(
                content_type__app_label="evaluations", codename__in=CLERK_PERMISSIONS
            )
        )
        for username, superuser in (("admin", True), ("clerk", False)):
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": superuser}
            )
            if created:
                user.set_password(password)
                user.save()
            if not superuser:
                user.groups.add(bureau)
            state = "已创建" if created else "已存在"
            self.stdout.write(f"演示账号 {username}：{state}")
