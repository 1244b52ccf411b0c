"""Reference data: regions, units, third-party firms and the recusals between them.

Superusers keep regions, units and firms; the bureau's reviewer looks units and firms up
(the autocomplete of the records it creates) and keeps the recusals of the units it works
with (policies.visible_units). Model permissions play no part: the policy decides.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404

from .. import policies
from ..models import Firm, FirmRecusal, Region, Unit
from ..workflow import Role
from .accounts import SuperuserOnly


class ScopedObjectsAdmin(admin.ModelAdmin):
    """Answer a record outside the user's queryset with 404, as if it did not exist."""

    def object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("没有这条记录")
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.object_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.object_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)


class LookedUpByReviewers(SuperuserOnly, ScopedObjectsAdmin):
    """Reviewers may view (and so look up) the rows; only superusers change them."""

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return policies.acts_as(request.user, Role.REVIEWER)


@admin.register(Region)
class RegionAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Firm)
class FirmAdmin(LookedUpByReviewers):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(LookedUpByReviewers):
    list_display = ["name", "kind", "region", "parent"]
    # Only the regions of the listed units: a reviewer does not browse other regions.
    list_filter = [("region", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["region", "parent"]

    def get_queryset(self, request):
        """Return the units the user works with; the autocomplete searches these too."""
        return policies.visible_units(request.user)


@admin.register(FirmRecusal)
class FirmRecusalAdmin(ScopedObjectsAdmin):
    """回避: the services refuse to assign a firm to a unit it must not evaluate.

    A recusal decides whether the bureau may assign a firm to a unit, so only the reviewer
    keeps them, for the units of its own region.
    """

    list_display = ["firm", "unit", "reason"]
    list_filter = ["firm"]
    search_fields = ["firm__name", "unit__name", "reason"]
    autocomplete_fields = ["firm", "unit"]
    list_select_related = ["firm", "unit"]

    def get_queryset(self, request):
        """Return the recusals of the units the user works with."""
        units = policies.visible_units(request.user)
        return super().get_queryset(request).filter(unit__in=units)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = policies.visible_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def keeps_recusals(self, request, obj=None):
        """Return True if the user is a reviewer and the recusal, if any, is of its units."""
        if not policies.acts_as(request.user, Role.REVIEWER):
            return False
        return obj is None or policies.visible_units(request.user).filter(pk=obj.unit_id).exists()

    def has_module_permission(self, request):
        return self.keeps_recusals(request)

    def has_view_permission(self, request, obj=None):
        return self.keeps_recusals(request, obj)

    def has_add_permission(self, request):
        return self.keeps_recusals(request)

    def has_change_permission(self, request, obj=None):
        return self.keeps_recusals(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.keeps_recusals(request, obj)
