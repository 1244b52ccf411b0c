"""Filing tables in and out of the admin: upload a workbook of target, monitoring or
self-evaluation tables (checked first, then written all or nothing), and download any
filing the user may see in the layout it circulates in.

Both views are added to the admin's URLs (perfmgmt.urls) and wrapped by admin_view; who
may do what is the policy's answer, asked again on every request.
"""

import base64

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header

from .. import (
    converters,  # noqa: F401  (registers <id:…>, <year:…>)
    policies,
)
from ..documents import Kind
from ..layouts.write import write_document
from ..models import MonitoringReport, SelfEvaluation, TargetVersion
from ..selectors.documents import monitoring_document, self_evaluation_document, target_document
from ..services.documents import documents_import
from .forms import upload_size_check

STASH = "tables_import_stash"


class TablesImportForm(forms.Form):
    # An empty file is the workbook guard's to refuse, in a message naming the file.
    file = forms.FileField(label="表格文件（.xlsx）", allow_empty_file=True)
    region = forms.ModelChoiceField(label="区划", queryset=None)
    year = forms.IntegerField(
        label="年度", required=False, min_value=2000, max_value=2100, help_text="表中未写年度时使用"
    )
    kind = forms.ChoiceField(
        label="表的种类", required=False, choices=[("", "按内容识别"), *Kind.choices]
    )
    approved = forms.BooleanField(
        label="以“已审核通过”导入（已在别处审核的历史表）", required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = policies.visible_regions(user)
        if not policies.can_import_approved(user):
            del self.fields["approved"]

    def clean_file(self):
        upload = upload_size_check(self.cleaned_data["file"])
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"{upload.name}：仅接受 .xlsx 文件")
        return upload


def tables_import(request):
    """Upload → check (nothing written) → confirm (written all or nothing)."""
    user = request.user
    if not policies.can_import_tables(user):
        raise PermissionDenied
    context = {"title": "导入绩效目标、监控表和自评表", "opts": TargetVersion._meta}
    if request.method == "POST" and "confirm" in request.POST:
        stash = request.session.pop(STASH, None)
        if stash is None:
            messages.error(request, "检查结果已过期，请重新上传")
            return redirect("tables:import")
        region = policies.visible_regions(user).filter(pk=stash["region"]).first()
        if region is None:
            raise PermissionDenied
        outcome = documents_import(
            data=base64.b64decode(stash["data"]),
            file_name=stash["file_name"],
            user=user,
            region=region,
            year=stash["year"],
            kind=stash["kind"] or None,
            approved=stash["approved"],
        )
        if outcome.ok:
            messages.success(request, f"{outcome.file_name}：已导入 {len(outcome.results)} 张表")
        context |= {"outcome": outcome, "written": outcome.ok}
        return render(request, "admin/evaluations/tables_import.html", context)
    form = TablesImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        options = {
            "region": form.cleaned_data["region"],
            "year": form.cleaned_data["year"],
            "kind": form.cleaned_data["kind"] or None,
            "approved": bool(form.cleaned_data.get("approved")),
        }
        outcome = documents_import(
            data=data, file_name=upload.name, user=user, dry_run=True, **options
        )
        if outcome.ok:
            request.session[STASH] = {
                "data": base64.b64encode(data).decode(),
                "file_name": upload.name,
                "region": options["region"].pk,
                "year": options["year"],
                "kind": options["kind"],
                "approved": options["approved"],
            }
        context |= {"outcome": outcome, "checked": True}
    context["form"] = form
    return render(request, "admin/evaluations/tables_import.html", context)


def _filing(user, kind: str, pk: int):
    if kind == Kind.TARGET:
        version = (
            TargetVersion.objects.filter(target__in=policies.visible_targets(user), pk=pk)
            .select_related("target__unit")
            .first()
        )
        return version and target_document(version)
    if kind == Kind.SELF_EVALUATION:
        evaluation = (
            policies.visible_filings(user, SelfEvaluation)
            .filter(pk=pk)
            .select_related("target__unit", "version", "framework")
            .first()
        )
        return evaluation and self_evaluation_document(evaluation)
    if kind == Kind.MONITORING:
        report = (
            policies.visible_filings(user, MonitoringReport)
            .filter(pk=pk)
            .select_related("target__unit", "version", "period")
            .first()
        )
        return report and monitoring_document(report)
    return None


def tables_export(request, kind: str, pk: int):
    """Download one filing the user may see, in its circulated layout (404 otherwise)."""
    document = _filing(request.user, kind, pk)
    if document is None:
        raise Http404
    response = HttpResponse(
        write_document(document),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, document.file_name)
    return response


def urls(site):
    """Return the admin URLs of the two views, wrapped by the site's admin_view."""
    return [
        path("tables/import/", site.admin_view(tables_import), name="import"),
        path(
            "tables/<str:kind>/<id:pk>/xlsx/",
            site.admin_view(tables_export),
            name="export",
        ),
    ]
