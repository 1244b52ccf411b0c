"""create_role_user: one staff login per call, in a role, bound to its units, firm or region."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from evaluations.models import Firm, Unit
from evaluations.roles import role_user_create
from evaluations.services.imports import region_ensure
from evaluations.workflow import Role

PASSWORD = "correct-horse-battery-2021"
EDUCATION, CIVIL_AFFAIRS = "贵阳市花溪区教育局", "贵阳市花溪区民政局"
FIRM = "北京信府科技有限责任公司"

VIEW = {"view_unitevaluation", "view_project", "view_fundingline"}
CHANGE = {"change_unitevaluation", "change_project", "change_fundingline"}
IMPORT = {"import_unitevaluation", "import_project"}
EXPORT = {"export_unitevaluation", "export_project"}
GROUPS = {
    Role.DEPARTMENT: ("预算单位用户", VIEW | CHANGE | IMPORT),
    Role.FIRM: ("第三方机构用户", VIEW | CHANGE | IMPORT),
    Role.REVIEWER: (
        "财政局审核人",
        VIEW
        | CHANGE
        | IMPORT
        | EXPORT
        | {"add_unitevaluation", "add_project", "add_fundingline"}
        | {"view_firmrecusal", "add_firmrecusal", "change_firmrecusal"}
        | {"view_unit", "view_firm"},
    ),
    Role.PUBLISHER: ("财政局公开人", VIEW | IMPORT | EXPORT),
}
ROLE_OPTIONS = {
    Role.DEPARTMENT: ["--unit", EDUCATION],
    Role.FIRM: ["--firm", FIRM],
    Role.REVIEWER: [],
    Role.PUBLISHER: [],
}


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def huaxi_units(huaxi):
    for name in (EDUCATION, CIVIL_AFFAIRS):
        Unit.objects.create(region=huaxi, name=name, kind="department")
    Firm.objects.create(name=FIRM)
    return huaxi


def run(*args, stdin=PASSWORD + "\n"):
    out = io.StringIO()
    stdin = io.StringIO(stdin) if isinstance(stdin, str) else stdin
    call_command("create_role_user", *args, stdin=stdin, stdout=out)
    return out.getvalue()


def test_it_creates_a_department_user_bound_to_its_units(huaxi_units):
    out = run("dept", "--role", "department", "--unit", EDUCATION, "--unit", CIVIL_AFFAIRS)
    user = User.objects.get(username="dept")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert user.perf_role.role == Role.DEPARTMENT
    assert {unit.name for unit in user.perf_role.units.all()} == {EDUCATION, CIVIL_AFFAIRS}
    assert f"已创建用户 dept：预算单位（单位：{EDUCATION}、{CIVIL_AFFAIRS}）" in out


def test_it_creates_a_firm_user_bound_to_its_firm(huaxi_units):
    run("firm", "--role", "firm", "--firm", FIRM)
    role = User.objects.get(username="firm").perf_role
    assert (role.role, role.firm.name, role.region) == (Role.FIRM, FIRM, None)


def test_it_creates_a_reviewer_of_one_region(huaxi_units):
    out = run("reviewer", "--role", "reviewer", "--region", "520111", "--email", "r@example.cn")
    user = User.objects.get(username="reviewer")
    assert (user.perf_role.role, user.perf_role.region, user.email) == (
        Role.REVIEWER,
        huaxi_units,
        "r@example.cn",
    )
    assert "财政局审核人（区划：花溪区）" in out


def test_it_creates_a_publisher_of_every_region(huaxi_units):
    out = run("publisher", "--role", "publisher")
    assert User.objects.get(username="publisher").perf_role.region is None
    assert "财政局公开人（全部区划）" in out


@pytest.mark.parametrize("role", list(Role))
def test_each_role_joins_its_group_with_the_permissions_it_works_with(huaxi_units, role):
    run(f"user-{role}", "--role", role, *ROLE_OPTIONS[role])
    user = User.objects.get(username=f"user-{role}")
    name, codenames = GROUPS[role]
    assert [group.name for group in user.groups.all()] == [name]
    permissions = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
    assert set(permissions) == codenames
    assert user.get_all_permissions() == {f"evaluations.{codename}" for codename in codenames}


def test_users_of_one_role_share_one_group(huaxi_units):
    run("reviewer1", "--role", "reviewer")
    run("reviewer2", "--role", "reviewer")
    assert Group.objects.get(name="财政局审核人").user_set.count() == 2


def test_it_takes_the_password_from_the_first_line_of_stdin_and_does_not_print_it(huaxi_units):
    out = run("publisher", "--role", "publisher", stdin=f"{PASSWORD}\nsecond line\n")
    assert User.objects.get(username="publisher").check_password(PASSWORD)
    assert PASSWORD not in out
    assert "初始密码" not in out


@pytest.mark.parametrize("stdin", [Terminal(PASSWORD + "\n"), io.StringIO(""), io.StringIO("\n")])
def test_it_generates_a_password_and_prints_it_once_when_none_is_piped_in(huaxi_units, stdin):
    out = run("publisher", "--role", "publisher", stdin=stdin)
    (line,) = [line for line in out.splitlines() if line.startswith("初始密码")]
    password = line.split("：", 1)[1]
    assert len(password) >= 20
    assert out.count(password) == 1
    user = User.objects.get(username="publisher")
    assert user.check_password(password)
    assert not user.check_password(PASSWORD)


def test_it_refuses_a_weak_password(huaxi_units):
    with pytest.raises(CommandError, match="密码不符合要求"):
        run("publisher", "--role", "publisher", stdin="12345678\n")
    assert not User.objects.exists()


def test_it_lists_every_unknown_unit(huaxi_units):
    with pytest.raises(CommandError, match="找不到这些单位（名称须完全一致）：甲局、乙局$"):
        run("dept", "--role", "department", "--unit", "甲局", "--unit", EDUCATION, "--unit", "乙局")
    assert not User.objects.exists()


def test_a_unit_name_must_match_exactly(huaxi_units):
    with pytest.raises(CommandError, match="找不到这些单位"):
        run("dept", "--role", "department", "--unit", "花溪区教育局")


def test_a_unit_name_found_in_two_regions_needs_the_region(huaxi_units):
    other = region_ensure(code="520115", name="观山湖区")
    Unit.objects.create(region=other, name=EDUCATION, kind="department")
    with pytest.raises(CommandError, match=f"请用 --region 指定区划：{EDUCATION}"):
        run("dept", "--role", "department", "--unit", EDUCATION)
    run("dept", "--role", "department", "--unit", EDUCATION, "--region", "520115")
    assert User.objects.get(username="dept").perf_role.units.get().region == other


def test_it_refuses_an_unknown_firm(huaxi_units):
    with pytest.raises(CommandError, match="找不到第三方机构（名称须完全一致）：某某公司"):
        run("firm", "--role", "firm", "--firm", "某某公司")
    assert not User.objects.exists()


def test_it_refuses_an_unknown_region(huaxi_units):
    with pytest.raises(CommandError, match="找不到区划代码 999999"):
        run("reviewer", "--role", "reviewer", "--region", "999999")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "department"], "预算单位用户须用 --unit 指定所属单位"),
        (["--role", "firm"], "第三方机构用户须用 --firm 指定所属机构"),
        (["--role", "reviewer", "--unit", EDUCATION], "只有预算单位用户"),
        (["--role", "firm", "--firm", FIRM, "--unit", EDUCATION], "只有预算单位用户"),
        (["--role", "publisher", "--firm", FIRM], "只有第三方机构用户"),
        (["--role", "department", "--unit", EDUCATION, "--firm", FIRM], "只有第三方机构用户"),
        (["--role", "firm", "--firm", FIRM, "--region", "520111"], "不能指定 --region"),
    ],
)
def test_it_refuses_options_that_do_not_fit_the_role(huaxi_units, args, message):
    with pytest.raises(CommandError, match=message):
        run("someone", *args)
    assert not User.objects.exists()


def test_it_refuses_an_unknown_role(huaxi_units):
    with pytest.raises(CommandError, match="invalid choice|无效的选项"):
        run("someone", "--role", "clerk")


def test_it_refuses_an_existing_username_and_leaves_that_user_alone(huaxi_units):
    User.objects.create_user("publisher", password=PASSWORD)
    with pytest.raises(CommandError, match="未创建用户 publisher"):
        run("publisher", "--role", "reviewer", stdin="another-long-passphrase-9\n")
    user = User.objects.get(username="publisher")
    assert (user.is_staff, user.check_password(PASSWORD)) == (False, True)
    assert not hasattr(user, "perf_role")


def test_it_refuses_an_invalid_email(huaxi_units):
    with pytest.raises(CommandError, match="未创建用户"):
        run("publisher", "--role", "publisher", "--email", "not-an-address")
    assert not User.objects.exists()


def test_the_service_checks_the_role_and_writes_nothing_when_it_refuses(huaxi_units):
    with pytest.raises(ValidationError):
        role_user_create(username="firm", role=Role.FIRM, password=PASSWORD)
    with pytest.raises(ValidationError):
        role_user_create(
            username="reviewer",
            role=Role.REVIEWER,
            password=PASSWORD,
            units=[Unit.objects.get(name=EDUCATION)],
        )
    assert not User.objects.exists()
