"""Provision a login in a workflow role: a department, a firm, the bureau's reviewer or publisher.

The password is the first line of standard input when it is piped in; with nothing piped
in (a terminal, or an empty line) a strong one is generated and printed this once.
"""

import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Firm, Region, Unit
from evaluations.roles import ROLE_GROUPS, role_user_create
from evaluations.workflow import Role


def _messages(error: ValidationError) -> str:
    return "；".join(error.messages)


class Command(BaseCommand):
    help = (
        "创建一个流程角色的后台用户：预算单位（--unit，可重复）、第三方机构（--firm）、"
        "财政局审核人或公开人（可用 --region 限定区划）。密码从标准输入读取第一行；"
        "未从标准输入提供时生成随机密码并只显示这一次。"
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录名")
        parser.add_argument("--role", required=True, choices=Role.values, help="角色")
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            dest="units",
            metavar="NAME",
            help="预算单位用户所属单位的完整名称，可重复",
        )
        parser.add_argument("--firm", metavar="NAME", help="第三方机构用户所属机构的完整名称")
        parser.add_argument(
            "--region",
            metavar="CODE",
            help="区划代码：财政局用户只处理该区划的记录；预算单位用户在该区划中查找单位",
        )
        parser.add_argument("--email", default="", help="电子邮箱")

    def handle(self, *args, username, role, units, firm, region, email, **options):
        self._check_options(role, units, firm, region)
        region = self._region(region)
        units = self._units(units, region)
        firm = self._firm(firm)
        password = self._piped_password(options.get("stdin") or sys.stdin)
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(18)
        else:
            try:
                validate_password(password, get_user_model()(username=username, email=email))
            except ValidationError as error:
                raise CommandError(f"密码不符合要求：{_messages(error)}") from None
        try:
            role_user_create(
                username=username,
                role=role,
                password=password,
                units=units,
                firm=firm,
                region=region,
                email=email,
            )
        except ValidationError as error:
            raise CommandError(f"未创建用户 {username}：{_messages(error)}") from None
        scope = self._scope(units, firm, region)
        group = ROLE_GROUPS[role].name
        self.stdout.write(f"已创建用户 {username}：{Role(role).label}（{scope}），用户组“{group}”")
        if generated:
            self.stdout.write(f"初始密码（只显示这一次）：{password}")

    def _check_options(self, role, units, firm, region):
        if role == Role.DEPARTMENT and not units:
            raise CommandError("预算单位用户须用 --unit 指定所属单位（可重复）")
        if role != Role.DEPARTMENT and units:
            raise CommandError("只有预算单位用户（--role department）可以指定 --unit")
        if role == Role.FIRM and not firm:
            raise CommandError("第三方机构用户须用 --firm 指定所属机构")
        if role != Role.FIRM and firm:
            raise CommandError("只有第三方机构用户（--role firm）可以指定 --firm")
        if role == Role.FIRM and region:
            raise CommandError("第三方机构用户的范围由机构决定，不能指定 --region")

    def _region(self, code):
        if code is None:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"找不到区划代码 {code}")
        return region

    def _units(self, names, region):
        """Return the units named exactly so; a name is unknown or, without --region, ambiguous."""
        found = Unit.objects.filter(name__in=names).select_related("region")
        if region is not None:
            found = found.filter(region=region)
        by_name = {}
        for unit in found:
            by_name.setdefault(unit.name, []).append(unit)
        unknown = [name for name in dict.fromkeys(names) if name not in by_name]
        if unknown:
            raise CommandError(f"找不到这些单位（名称须完全一致）：{'、'.join(unknown)}")
        ambiguous = [name for name, units in by_name.items() if len(units) > 1]
        if ambiguous:
            raise CommandError(
                f"这些单位名称在多个区划中都有，请用 --region 指定区划：{'、'.join(ambiguous)}"
            )
        return [units[0] for units in by_name.values()]

    def _firm(self, name):
        if name is None:
            return None
        firm = Firm.objects.filter(name=name).first()
        if firm is None:
            raise CommandError(f"找不到第三方机构（名称须完全一致）：{name}")
        return firm

    def _piped_password(self, stdin) -> str | None:
        """Return the first line piped into standard input, None at a terminal or if empty."""
        if stdin is None or stdin.isatty():
            return None
        line = stdin.readline().rstrip("\r\n")
        return line if line.strip() else None

    def _scope(self, units, firm, region) -> str:
        if units:
            return "单位：" + "、".join(unit.name for unit in units)
        if firm is not None:
            return f"机构：{firm.name}"
        return f"区划：{region.name}" if region is not None else "全部区划"
