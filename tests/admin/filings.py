"""Filings for the admin tests, built through the services, and their pages as posted back."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.urls import reverse

from evaluations.indicators import Node
from evaluations.models import MonitoringPeriod, PerformanceTarget
from evaluations.services.targets import target_create, target_review, target_submit

from .pages import _value, admin_url

D = Decimal


def leaf(name, target_value, points, **attrs):
    return Node(name, 3, D(points), attrs={"target_value": target_value, **attrs})


def standard_tree(*, output=None):
    """A 90-point tree: 产出 50, 效益 30, 满意度 10, each with one 二级 and its 三级."""
    output = output or [
        leaf("新增公办幼儿园学位", "≥1200个", 30),
        leaf("项目按期完工率", "≥95%", 20),
    ]
    return [
        Node("产出指标", 1, D(50), [Node("数量指标", 2, None, output)]),
        Node("效益指标", 1, D(30), [Node("社会效益指标", 2, None, [leaf("普惠率", "≥85%", 30)])]),
        Node(
            "满意度指标",
            1,
            D(10),
            [Node("服务对象满意度指标", 2, None, [leaf("家长满意度", "≥90%", 10)])],
        ),
    ]


def filer(roles, unit):
    """Return who files for the unit: the department's login, or for the other unit (whose
    department has no login here) a superuser, who may act in any role."""
    if unit == roles.own_unit:
        return roles.department
    user, _ = User.objects.get_or_create(
        username="admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def project_target(roles, *, unit=None, name="幼儿园公办率及普惠率达标经费", tree=None, **kw):
    """Return a draft project target of the own unit (or unit), filed by its department."""
    unit = unit or roles.own_unit
    return target_create(
        user=filer(roles, unit),
        region=roles.region,
        year=2022,
        unit=unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=name,
        tree=tree if tree is not None else standard_tree(),
        overall_goal="新增公办学位，提高普惠率",
        funds_total=D("476.604"),
        **kw,
    )


def approved_target(roles, **kw):
    """Return a project target whose first version the bureau approved (优)."""
    target = project_target(roles, **kw)
    version = target.versions.get()
    target_submit(version=version, user=filer(roles, target.unit))
    target_review(version=version, user=roles.reviewer, grade="优")
    target.refresh_from_db()
    return target


def period(roles, *, end_month=6, year=2022):
    return MonitoringPeriod.objects.create(
        region=roles.region, year=year, end_month=end_month, due_date=date(year, 7, 15)
    )


def add_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_add")


def step_url(record, name):
    return admin_url(record, "step", name)


def _formset_data(formset) -> dict[str, str]:
    data = {}
    for name in formset.management_form.fields:
        data[formset.management_form[name].html_name] = _value(formset.management_form[name])
    for form in formset.forms:
        for name in form.fields:
            data[form[name].html_name] = _value(form[name])
    return data


def page_data(response, **changes) -> dict[str, str]:
    """Return the POST data of a filing's change page as rendered, with changes applied.

    The main form, its inlines, and the formsets nested in the form (a target's
    indicators, a sheet's scores), exactly as a browser would send them back.
    """
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[form[name].html_name] = _value(form[name])
    for nested in ("indicators", "scores"):
        if getattr(form, nested, None) is not None:
            data.update(_formset_data(getattr(form, nested)))
    for inline in response.context["inline_admin_formsets"]:
        data.update(_formset_data(inline.formset))
    data.update({name: str(value) for name, value in changes.items()})
    data["_continue"] = "1"
    return data


def row_prefix(response, name) -> str:
    """Return the prefix of the indicator row (or inline row) showing the named indicator."""
    form = response.context["adminform"].form
    for row in getattr(form, "indicators", None) or []:
        if row.initial.get("name") == name:
            return row.prefix
    for inline in response.context["inline_admin_formsets"]:
        for row in inline.formset.forms:
            if row.instance.indicator.name == name:
                return row.prefix
    raise LookupError(name)
