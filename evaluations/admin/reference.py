"""Reference data: regions, units, third-party firms and the recusals between them."""

from django.contrib import admin

from ..models import Firm, FirmRecusal, Region, Unit


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


@admin.register(FirmRecusal)
class FirmRecusalAdmin(admin.ModelAdmin):
    """回避: the services refuse to assign a firm to a unit it must not evaluate."""

    list_display = ["firm", "unit", "reason"]
    list_filter = ["firm"]
    search_fields = ["firm__name", "unit__name", "reason"]
    autocomplete_fields = ["firm", "unit"]
    list_select_related = ["firm", "unit"]
