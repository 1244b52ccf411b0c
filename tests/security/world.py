"""A region whose every free-text field holds markup, for the escaping tests.

`hostile_world(region)` files, on top of the released 2021 tables, a key project the way
users do (target, ex-ante assessment, self-evaluation, third-party sheet), a problem, a
recusal, a job, budget decisions, the departments' assessment and a monitoring report, so
that every evaluations model with free text has rows (`empty_models()` names any that has
none). `poison()` then writes a payload into every CharField and TextField of every
evaluations model (the region, unit, firm and project names included), each row's value
ending in its primary key so that unique names stay unique.
"""

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.db import models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from evaluations.layouts.read import read_documents
from evaluations.models import (
    BudgetDecision,
    Firm,
    FirmRecusal,
    Job,
    JobKind,
    MonitoringPeriod,
    PerformanceTarget,
    Problem,
    Project,
    Unit,
    WorkflowEvent,
)
from evaluations.services.application import decision_confirm, decisions_propose
from evaluations.services.assessment import assessments_compute
from evaluations.services.documents import document_tree, documents_import
from evaluations.services.targets import target_create, target_review, target_submit
from evaluations.workflow import Role
from tests.fuzz.malformed import XSS_PAYLOAD
from tests.views.builders import add_role_user, add_self_evaluation, add_sheet
from tests.views.test_ex_ante_public import key_project

SHORT_PAYLOAD = "<img src=x onerror=alert(1)>"
SHORTEST_PAYLOAD = "<script>alert(1)"
# Codes and state names the code matches on, not text anyone types.
NOT_FREE_TEXT = {
    ("Region", "code"),
    ("WorkflowEvent", "action"),
    ("WorkflowEvent", "from_state"),
    ("WorkflowEvent", "to_state"),
    ("Job", "task_result_id"),
}
YEAR = 2022
LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"
MONITORING = LAYOUTS / "monitoring_report.xlsx"
TARGET = LAYOUTS / "target_table.xlsx"


def hostile_world(region):
    """Return the people of the region after filing one of everything (see above)."""
    unit, _ = Unit.objects.get_or_create(
        region=region, name="贵阳市花溪区教育局", defaults={"kind": "department"}
    )
    firm, _ = Firm.objects.get_or_create(name="北京信府科技有限责任公司")
    people = SimpleNamespace(
        region=region,
        unit=unit,
        firm=firm,
        department=add_role_user("xss-dept", Role.DEPARTMENT, units=[unit]),
        reviewer=add_role_user("xss-reviewer", Role.REVIEWER),
        publisher=add_role_user("xss-publisher", Role.PUBLISHER),
        firm_user=add_role_user("xss-firm", Role.FIRM, firm=firm),
    )
    project = key_project(people)
    Project.objects.filter(pk=project.pk).update(firm=firm)
    project.refresh_from_db()
    people.project = project
    people.target = PerformanceTarget.objects.get(evaluation=project)
    add_self_evaluation(
        target=people.target, department=people.department, reviewer=people.reviewer
    )
    add_sheet(project=project, firm_user=people.firm_user, summary="项目管理较规范")
    Problem.objects.create(
        region=region,
        year=YEAR,
        unit=unit,
        project=project,
        source=Problem.Source.FIRM,
        description="绩效目标不够细化",
        measure="细化目标",
        report="已整改",
        verification="已核实",
    )
    FirmRecusal.objects.create(firm=firm, unit=unit, reason="曾为该单位提供审计服务")
    Job.objects.create(
        user=people.reviewer,
        kind=JobKind.choices[0][0],
        region=region,
        year=YEAR,
        message="已完成",
        file_name="导出.xlsx",
        error="",
    )
    for year in (2021, YEAR):
        decisions_propose(region=region, year=year, user=people.reviewer)
    for decision in BudgetDecision.objects.all():
        decision_confirm(decision=decision, user=people.reviewer, action=decision.proposed_action)
    assessments_compute(region=region, year=2021, user=people.reviewer)
    _monitoring_report(people)
    WorkflowEvent.objects.filter(comment="").update(comment="意见")
    return people


def _monitoring_report(people):
    """File the layouts' monitoring report for 花溪区民政局 against its approved target."""
    unit, _ = Unit.objects.get_or_create(
        region=people.region, name="花溪区民政局", defaults={"kind": "department"}
    )
    department = add_role_user("xss-dept-civil", Role.DEPARTMENT, units=[unit])
    [report] = read_documents(MONITORING.read_bytes(), file_name=MONITORING.name)
    [targets] = read_documents(TARGET.read_bytes(), file_name=TARGET.name)
    target = target_create(
        user=people.reviewer,
        region=people.region,
        year=YEAR,
        unit=unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=report.project_name,
        overall_goal="保障老人居家养老服务",
        funds_total=Decimal("356.80"),
        tree=document_tree(targets),
    )
    version = target.versions.get()
    target_submit(version=version, user=department)
    target_review(version=version, user=people.reviewer, grade="优")
    MonitoringPeriod.objects.create(
        region=people.region, year=YEAR, end_month=7, due_date="2022-08-15"
    )
    outcome = documents_import(
        data=MONITORING.read_bytes(),
        file_name=MONITORING.name,
        user=department,
        region=people.region,
    )
    assert outcome.ok, outcome.errors


MARKUP = (XSS_PAYLOAD, SHORT_PAYLOAD, SHORTEST_PAYLOAD)


def _value_for(field, payloads):
    """Return the longest payload that fits the field, ending in the row's pk if there is room."""
    length = field.max_length or 10_000
    for payload in payloads:
        if len(payload) + 8 <= length:
            pk = Cast("pk", CharField())
            return Concat(Value(payload), Value(" #"), pk, output_field=CharField())
    fitting = [payload for payload in payloads if len(payload) <= length]
    return Value(fitting[0]) if fitting else None


def free_text_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and (model.__name__, field.name) not in NOT_FREE_TEXT
    ]


def poison(payloads=MARKUP, *, rotate=False) -> dict[str, list[str]]:
    """Write a payload into every free-text field of every row; return what was written.

    payloads run longest first; with rotate, the n-th field gets the n-th payload (round
    robin) instead of the longest that fits.
    """
    written, n = {}, 0
    for model in apps.get_app_config("evaluations").get_models():
        changes = {}
        for field in free_text_fields(model):
            choice = (payloads[n % len(payloads)],) if rotate else payloads
            n += 1
            if (value := _value_for(field, choice)) is not None:
                changes[field.name] = value
        if changes and model.objects.update(**changes):
            written[model.__name__] = list(changes)
    return written


def empty_models() -> list[str]:
    """Return the evaluations models with free text but no row to carry the payload."""
    return [
        model.__name__
        for model in apps.get_app_config("evaluations").get_models()
        if free_text_fields(model) and not model.objects.exists()
    ]
