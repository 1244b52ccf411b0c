"""A record's field history (django-simple-history): read-only, within the user's scope."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class LabelledChanges(HistoricalRecordContextHelper):
    """Show a changed state or grade by its label, and an empty value as a dash."""

    def prepare_delta_change_value(self, change, value):
        if value is None or value == "":
            return "—"
        field = self.model._meta.get_field(change.field)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Who changed which field when, from what to what; old versions are never restored.

    The admin using it provides record_or_404(request, object_id).
    """

    object_history_list_template = "admin/evaluations/history_list.html"

    def showing_history(self, request):
        """Return True while an old version is shown (every field is then read-only)."""
        return getattr(request, "showing_history", False)

    def history_view(self, request, object_id, extra_context=None):
        self.record_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.record_or_404(request, object_id)
        if request.method != "GET":
            raise PermissionDenied  # a change goes through the workflow, never a revert
        request.showing_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # obj may be an old version: what counts is whether the user sees the record now.
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def revert_disabled(self, request, obj=None):
        return True

    def get_historical_record_context_helper(self, request, historical_record):
        return LabelledChanges(self.model, historical_record)
