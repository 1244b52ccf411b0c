"""The bureau's words of the annual report (ReportText), by region, year and section.

Only the bureau writes them (policies.can_write_report), for its own region. Every save
goes through services.report.report_text_save, which asks the policy again and refuses a
reference ({名称}) the report cannot fill. Each text links to a preview of its report,
which reads only released records, as the public page does, so it can be looked at
before the year's results are released.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .. import (
    converters,  # noqa: F401  (registers <id:…>, <year:…>)
    policies,
)
from ..models import Region, ReportSection, ReportText
from ..report import annual_report, narrative
from ..services.report import report_publish, report_text_copy, report_text_save
from ..views.report import render_report
from ..workflow import Role
from .filing_forms import RefusableForm
from .filings import RefusalsShown

TEXT_HELP = (
    "每行一段。以（一）（二）……开头、不含句号的一行为小标题，编号由系统按顺序重排。"
    "正文中不要手工输入数据能给出的数字，用{名称}引用，如{重点项目数}、{项目资金总额}、"
    "{项目5.资金}；单独一行的{块名}把本部分由数据生成的段落或表格放在该处，未放置的排在正文之后。"
)


def writable_regions(user):
    """Return the regions whose report the user may write."""
    regions = policies.visible_regions(user)
    return Region.objects.filter(
        pk__in=[region.pk for region in regions if policies.can_write_report(user, region)]
    )


class ReportTextForm(RefusableForm):
    class Meta:
        model = ReportText
        fields = ["region", "year", "section", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].queryset = writable_regions(self.user)
        self.fields["text"].help_text = TEXT_HELP

    def clean(self):
        cleaned = super().clean()
        section = cleaned.get("section") or getattr(self.instance, "section", "")
        found = narrative.problems(cleaned.get("text", ""), section) if section else []
        if found:
            self.add_error("text", found)
        return cleaned


@admin.register(ReportText)
class ReportTextAdmin(RefusalsShown):
    form = ReportTextForm
    list_display = [
        "section",
        "region",
        "year",
        "excerpt",
        "published",
        "updated_by",
        "updated_at",
        "preview",
    ]
    list_filter = ["year", "section"]
    search_fields = ["text"]
    list_select_related = ["region", "updated_by"]
    actions = ["copy_to_next_year", "publish"]

    def get_queryset(self, request):
        regions = writable_regions(request.user)
        return ReportText.objects.filter(region__in=regions).select_related("region", "updated_by")

    def has_module_permission(self, request):
        return writable_regions(request.user).exists()

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return policies.can_write_report(request.user, obj.region)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return ["region", "year", "section", "text", "references", "preview"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["region", "year", "section"] if obj is not None else []
        return [*fixed, "references", "preview"]

    def save_model(self, request, obj, form, change):
        saved = report_text_save(
            region=obj.region, year=obj.year, section=obj.section, text=obj.text, user=request.user
        )
        obj.pk = saved.pk

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path(
                "preview/<id:region_id>/<year:year>/",
                preview,
                name="evaluations_reporttext_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, region_id, year):
        region = get_object_or_404(Region, pk=region_id)
        if not policies.can_write_report(request.user, region):
            raise PermissionDenied
        report = annual_report(region=region, year=year, draft=True)
        return render_report(request, report, preview=True)

    @admin.action(description="公开所选年度的报告正文（公开人）")
    def publish(self, request, queryset):
        done = set()
        for text in queryset.select_related("region"):
            key = (text.region_id, text.year)
            if key in done:
                continue
            done.add(key)
            try:
                changed = report_publish(region=text.region, year=text.year, user=request.user)
            except PermissionDenied:
                self.message_user(request, "只有该区划的公开人可以公开报告正文", messages.ERROR)
                return
            self.message_user(
                request,
                f"{text.region.name} {text.year} 年度报告正文已公开（{changed} 个部分有更新）",
                messages.SUCCESS,
            )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not policies.acts_as(request.user, Role.PUBLISHER):
            actions.pop("publish", None)
        return actions

    @admin.display(description="公开状态")
    def published(self, text):
        if not text.published_at:
            return "未公开"
        return "已公开" if text.published_text == text.text else "有未公开的修改"

    @admin.action(description="复制到下一年度（只补缺少的部分）")
    def copy_to_next_year(self, request, queryset):
        copies = [report_text_copy(source=text, user=request.user) for text in queryset]
        created = sum(copy is not None for copy in copies)
        skipped = len(copies) - created
        message = f"已复制到下一年度 {created} 个部分"
        if skipped:
            message += f"；{skipped} 个部分下一年度已有正文，未覆盖"
        self.message_user(request, message + "。", messages.SUCCESS)

    @admin.display(description="正文")
    def excerpt(self, text):
        return text.text[:40] + ("…" if len(text.text) > 40 else "")

    @admin.display(description="预览")
    def preview(self, text):
        if text is None or text.pk is None:
            return "保存后可预览"
        url = reverse("admin:evaluations_reporttext_preview", args=[text.region_id, text.year])
        return format_html('<a href="{}" target="_blank">预览{}年度报告</a>', url, text.year)

    @admin.display(description="可用的引用")
    def references(self, text):
        sections = [text.section] if text is not None and text.pk else list(narrative.BLOCKS)
        rows = [
            *((f"{{{name}}}", meaning) for name, meaning in narrative.FIGURES.items()),
            *(
                (f"{{项目N.{field}}}", meaning)
                for field, meaning in narrative.PROJECT_FIGURES.items()
            ),
            *(
                (f"{{{name}}}", f"“{ReportSection(section).label}”部分生成的段落或表格，单独一行")
                for section in sections
                for name in narrative.BLOCKS.get(section, ())
            ),
        ]
        items = format_html_join("", "<li><code>{}</code>：{}</li>", rows)
        return format_html('<ul class="report-references">{}</ul>', items)
