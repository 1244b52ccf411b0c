"""Settings a region keeps for itself (templates and rules): the bureau's, scoped by region.

A region's reviewer keeps its own rows; the defaults (no region) belong to a reviewer not
bound to one region (policies.can_keep_settings). Everyone else sees none of them.
"""

from django.contrib import admin

from .. import policies


class RegionSettingsAdmin(admin.ModelAdmin):
    """The admin of a settings model with a nullable region (and year)."""

    def get_queryset(self, request):
        """Return the default rows and those of the user's regions."""
        return policies.visible_settings(request.user, self.model)

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) in policies.BUREAU

    def has_view_permission(self, request, obj=None):
        return policies.workflow_role(request.user) in policies.BUREAU

    def has_add_permission(self, request):
        return policies.can_keep_settings(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_keep_settings(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and policies.can_keep_settings(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # the form asks the policy about the region chosen
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = policies.visible_regions(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
