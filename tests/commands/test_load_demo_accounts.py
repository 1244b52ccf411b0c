"""load_demo_accounts: admin and one login per role for `make run`, only while DEBUG is on."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from evaluations.models import Firm, Unit
from evaluations.workflow import Role

DEMO = {"admin", "dept", "firm", "reviewer", "publisher"}


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_data(huaxi):
    """The unit and the firm the demo department and firm users are bound to."""
    Unit.objects.create(region=huaxi, name="贵阳市花溪区教育局", kind="department")
    Firm.objects.create(name="北京信府科技有限责任公司")


def run():
    out = io.StringIO()
    call_command("load_demo_accounts", stdout=out)
    return out.getvalue()


def test_it_creates_admin_and_one_account_per_role_under_debug(settings, demo_data):
    settings.DEBUG = True
    run()
    users = {user.username: user for user in User.objects.all()}
    assert set(users) == DEMO
    assert users["admin"].is_superuser
    roles = {name: users[name].perf_role for name in DEMO - {"admin"}}
    assert {name: role.role for name, role in roles.items()} == {
        "dept": Role.DEPARTMENT,
        "firm": Role.FIRM,
        "reviewer": Role.REVIEWER,
        "publisher": Role.PUBLISHER,
    }
    assert [unit.name for unit in roles["dept"].units.all()] == ["贵阳市花溪区教育局"]
    assert roles["firm"].firm.name == "北京信府科技有限责任公司"
    assert all(
        user.is_staff and user.check_password("perfmgmt-demo-2021") for user in users.values()
    )
    assert [group.name for group in users["publisher"].groups.all()] == ["财政局公开人"]


def test_it_takes_the_password_from_the_environment(settings, demo_data, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-passphrase")
    run()
    assert all(user.check_password("another-demo-passphrase") for user in User.objects.all())


def test_it_creates_nothing_without_debug_and_says_so(settings, demo_data):
    settings.DEBUG = False
    assert "DEBUG 未开启，未创建任何演示账号" in run()
    assert not User.objects.exists()


def test_running_it_twice_creates_nothing_new_and_changes_nothing(settings, demo_data):
    settings.DEBUG = True
    run()
    dept = User.objects.get(username="dept")
    dept.set_password("changed-by-the-user-1")
    dept.save()
    out = run()
    assert User.objects.count() == len(DEMO)
    assert out.count("已存在，未改动") == len(DEMO)
    assert User.objects.get(username="dept").check_password("changed-by-the-user-1")


def test_it_no_longer_creates_the_clerk(settings, demo_data):
    settings.DEBUG = True
    run()
    assert not User.objects.filter(username="clerk").exists()


def test_it_creates_nothing_and_says_why_before_the_data_is_loaded(settings, huaxi):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="找不到这些单位.*请先运行 load_bundled_data"):
        run()
    assert not User.objects.exists()
