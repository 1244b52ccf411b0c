"""Create the demo logins of a local installation: one per workflow role, and a superuser.

Their password is public (the README gives it), so this runs only while DEBUG is on. Each
role's login is made by create_role_user, the command a bureau provisions its users with.
"""

import io
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEFAULT_PASSWORD = "perfmgmt-demo-2021"
# (username, create_role_user options): the 2021 data's education bureau and its firm.
DEMO_ROLE_USERS = (
    ("dept", ["--role", "department", "--unit", "贵阳市花溪区教育局"]),
    ("firm", ["--role", "firm", "--firm", "北京信府科技有限责任公司"]),
    ("reviewer", ["--role", "reviewer"]),
    ("publisher", ["--role", "publisher"]),
)


class Command(BaseCommand):
    help = (
        "创建演示账号（仅在 DEBUG 开启时）：admin（超级用户）及每个角色一个账号——"
        "dept（预算单位）、firm（第三方机构）、reviewer（财政局审核人）、"
        "publisher（财政局公开人）；已存在的账号不改动。"
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG 未开启，未创建任何演示账号：演示账号的密码是公开的，只用于本机试用。"
                )
            )
            return
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
        users = get_user_model().objects
        with transaction.atomic():
            if users.filter(username="admin").exists():
                self._report("admin", created=False)
            else:
                users.create_superuser("admin", password=password)
                self._report("admin", created=True)
            for username, role_options in DEMO_ROLE_USERS:
                if users.filter(username=username).exists():
                    self._report(username, created=False)
                    continue
                try:
                    call_command(
                        "create_role_user",
                        username,
                        *role_options,
                        stdin=io.StringIO(password + "\n"),
                        stdout=self.stdout,
                    )
                except CommandError as error:
                    raise CommandError(
                        f"{error}（演示账号依赖自带的 2021 年数据：请先运行 load_bundled_data）"
                    ) from None

    def _report(self, username, *, created):
        self.stdout.write(f"演示账号 {username}：{'已创建' if created else '已存在，未改动'}")
