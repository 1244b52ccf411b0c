"""A record's field history (django-simple-history): read-only, within the user's scope."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from ..decimals import exact
from ..models import FundingLine

HISTORY_TYPES = {"+": "新增", "~": "修改", "-": "删除"}
LINE_FIELDS = ["position", "label", "amount", "self_score"]
# What a new or deleted line is told by: its money and its self-evaluation score.
LINE_FIGURES = ["amount", "self_score"]


class LabelledChanges(HistoricalRecordContextHelper):
    """Show a changed state or grade by its label, and an empty value as a dash."""

    def prepare_delta_change_value(self, change, value):
        if value is None or value == "":
            return "—"
        field = self.model._meta.get_field(change.field)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


def shown(value) -> str:
    if value is None or value == "":
        return "—"
    return exact(value) if isinstance(value, Decimal) else str(value)


def line_changes(version, previous) -> list[dict]:
    """Return what one version of a funding line changed: field label, old and new value."""
    if version.history_type == "~" and previous is not None:
        delta = version.diff_against(previous, included_fields=LINE_FIELDS)
        pairs = [(change.field, change.old, change.new) for change in delta.changes]
    elif version.history_type == "+":
        pairs = [(name, None, getattr(version, name)) for name in LINE_FIGURES]
    elif version.history_type == "-":
        pairs = [(name, getattr(version, name), None) for name in LINE_FIGURES]
    else:
        pairs = []
    return [
        {
            "field": FundingLine._meta.get_field(name).verbose_name,
            "old": shown(old),
            "new": shown(new),
        }
        for name, old, new in pairs
    ]


def funding_line_history(project) -> list[dict]:
    """Return every version of the project's funding lines, deleted lines too, newest first.

    One query: each version is compared with the previous version of the same line here.
    """
    versions = (
        FundingLine.history.filter(project_id=project.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous, entries = {}, []
    for version in versions:
        entries.append(
            {
                "version": version,
                "type": HISTORY_TYPES[version.history_type],
                "changes": line_changes(version, previous.get(version.id)),
            }
        )
        previous[version.id] = version
    entries.reverse()
    return entries


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Who changed which field when, from what to what; old versions are never restored.

    The admin using it provides record_or_404(request, object_id).
    """

    object_history_list_template = "admin/evaluations/history_list.html"

    def showing_history(self, request):
        """Return True while an old version is shown (every field is then read-only)."""
        return getattr(request, "showing_history", False)

    def history_view(self, request, object_id, extra_context=None):
        record = self.record_or_404(request, object_id)
        context = {**self.history_context(request, record), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def history_context(self, request, record):
        """Return what the history page shows besides the record's own fields."""
        return {}

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
