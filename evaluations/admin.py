"""The bureau's working interface. Decisions on who may do what come from policies."""

from django import forms
from django.contrib import admin
from django.db.models import Sum
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX
from import_export.forms import ConfirmImportForm, ImportForm

from . import policies
from .decimals import exact
from .imports.formats import CirculatedXLSX
from .imports.resources import ProjectResource, UnitEvaluationResource
from .imports.sheet import SheetError
from .models import Firm, FundingLine, Project, Region, Unit, UnitEvaluation


class ResultsImportForm(ImportForm):
    region = forms.ModelChoiceField(Region.objects.all(), label="区划")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    field_order = ["region", "year", "resource", "import_file", "format"]


class ResultsConfirmImportForm(ConfirmImportForm):
    region = forms.ModelChoiceField(Region.objects.all(), widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)


class ResultsAdmin(ImportExportModelAdmin):
    """Import (xlsx only) and export of a results table, each behind its own permission."""

    import_form_class = ResultsImportForm
    confirm_form_class = ResultsConfirmImportForm
    import_formats = [CirculatedXLSX]
    import_template_name = "admin/evaluations/results_import.html"
    export_formats = [XLSX]

    def has_import_permission(self, request):
        return policies.can_import(request.user, self.model)

    def has_export_permission(self, request):
        return policies.can_export(request.user, self.model)

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        data = getattr(form, "cleaned_data", None) or {}
        return {"region": data.get("region"), "year": data.get("year")}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"region": None, "year": None}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["region"] = import_form.cleaned_data["region"].pk
            initial["year"] = import_form.cleaned_data["year"]
        return initial

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True  # nothing is written past a bad row
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SheetError):
            for message in e.messages:
                form.add_error("import_file", message)
        else:
            super().add_data_read_fail_error_to_form(form, e)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "parent"]
    list_filter = ["region", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["region", "parent"]


@admin.register(UnitEvaluation)
class UnitEvaluationAdmin(ResultsAdmin):
    resource_classes = [UnitEvaluationResource]
    list_display = ["unit", "year", "region", "firm", "score", "grade"]
    list_filter = ["region", "year", "grade", "unit__kind", "firm"]
    search_fields = ["unit__name", "firm__name"]
    list_select_related = ["unit", "firm", "region"]
    autocomplete_fields = ["unit", "firm"]
    readonly_fields = ["grade"]
    ordering = ["region", "-year", "-score"]


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0
    fields = ["position", "label", "amount", "self_score"]


@admin.register(Project)
class ProjectAdmin(ResultsAdmin):
    resource_classes = [ProjectResource]
    inlines = [FundingLineInline]
    list_display = ["number", "name", "year", "region", "total_funds", "score", "grade"]
    list_display_links = ["number", "name"]
    list_filter = ["region", "year", "grade"]
    search_fields = ["name"]
    list_select_related = ["region"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["grade"]
    ordering = ["region", "-year", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total=Sum("funding_lines__amount"))

    @admin.display(description="项目资金合计（万元）", ordering="total")
    def total_funds(self, project):
        return exact(project.total)

    def get_data_for_export(self, request, queryset, **kwargs):
        # The export has the importable layout: one row per funding line.
        lines = (
            FundingLine.objects.filter(project__in=queryset)
            .select_related("project", "project__unit")
            .order_by("project__region", "project__year", "project__number", "position")
        )
        return super().get_data_for_export(request, lines, **kwargs)
