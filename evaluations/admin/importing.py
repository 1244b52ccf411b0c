"""Import (xlsx only) and export of a results table, each behind its own permission."""

from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX

from .. import policies
from ..imports.formats import CirculatedXLSX
from ..imports.sheet import SheetError
from .forms import ResultsConfirmImportForm, ResultsImportForm


class ResultsImportExportAdmin(ImportExportModelAdmin):
    """The clerk's upload, preview and confirmation; the export has the importable layout.

    The rows a user may write and whether they may import as released are the resource's
    questions to the policy (evaluations.imports.resources).
    """

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
        return {
            "region": data.get("region"),
            "year": data.get("year"),
            "release": bool(data.get("release")),
        }

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"region": None, "year": None}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["region"] = import_form.cleaned_data["region"].pk
            initial["year"] = import_form.cleaned_data["year"]
            initial["release"] = import_form.cleaned_data["release"]
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
