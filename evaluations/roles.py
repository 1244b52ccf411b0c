"""Workflow roles as logins: each role's admin group and its model permissions, declared once.

The policy (evaluations.policies) decides which records a user may act on; these model
permissions only open the admin pages and the import/export buttons the role works with.
create_role_user and load_demo_accounts both create users through role_user_create.
"""

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from .models import UserRole
from .workflow import Role

RESULTS = ("unitevaluation", "project", "fundingline")
VIEW = tuple(f"view_{model}" for model in RESULTS)
ADD = tuple(f"add_{model}" for model in RESULTS)
CHANGE = tuple(f"change_{model}" for model in RESULTS)
IMPORT = ("import_unitevaluation", "import_project")
EXPORT = ("export_unitevaluation", "export_project")
RECUSALS = ("view_firmrecusal", "add_firmrecusal", "change_firmrecusal")
# The admin's autocomplete widgets for a record's unit and firm answer only to users who
# may view units and firms; the reviewer picks both (creating records, assigning a firm).
PICK_UNIT_AND_FIRM = ("view_unit", "view_firm")


class RoleGroup(NamedTuple):
    name: str
    permissions: tuple[str, ...]


ROLE_GROUPS = {
    Role.DEPARTMENT: RoleGroup("预算单位用户", VIEW + CHANGE + IMPORT),
    Role.FIRM: RoleGroup("第三方机构用户", VIEW + CHANGE + IMPORT),
    Role.REVIEWER: RoleGroup(
        "财政局审核人", VIEW + ADD + CHANGE + IMPORT + EXPORT + RECUSALS + PICK_UNIT_AND_FIRM
    ),
    # The publisher imports historical results as released (import_results --release).
    Role.PUBLISHER: RoleGroup("财政局公开人", VIEW + IMPORT + EXPORT),
}


def role_group(role: str) -> Group:
    """Return the admin group of a role, its permissions set to those ROLE_GROUPS gives it."""
    spec = ROLE_GROUPS[role]
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="evaluations", codename__in=spec.permissions
        )
    )
    missing = set(spec.permissions) - {permission.codename for permission in permissions}
    if missing:
        raise ImproperlyConfigured(f"ROLE_GROUPS 中没有这些权限：{'、'.join(sorted(missing))}")
    group, _ = Group.objects.get_or_create(name=spec.name)
    group.permissions.set(permissions)
    return group


@transaction.atomic
def role_user_create(
    *, username: str, role: str, password: str, units=(), firm=None, region=None, email=""
):
    """Create a staff login in a workflow role, bound to its units, firm or region.

    A department user needs at least one unit and only a department user has units; the
    rest of the rules are UserRole's. Raise ValidationError and write nothing if the user
    or its role is not valid.
    """
    if role == Role.DEPARTMENT and not units:
        raise ValidationError({"units": "预算单位用户至少要绑定一个单位"})
    if role != Role.DEPARTMENT and units:
        raise ValidationError({"units": "只有预算单位用户绑定单位"})
    user = get_user_model()(username=username, email=email, is_staff=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    user_role = UserRole(user=user, role=role, firm=firm, region=region)
    user_role.full_clean()
    user_role.save()
    user_role.units.set(units)
    user.groups.add(role_group(role))
    return user
