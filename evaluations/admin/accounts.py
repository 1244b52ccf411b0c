"""Who is which role: only superusers bind logins to roles, units, firms and regions."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from ..models import UserRole


class SuperuserOnly:
    """Return True for the superuser only, whatever the model permissions say."""

    def superuser(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.superuser(request)

    def has_view_permission(self, request, obj=None):
        return self.superuser(request)

    def has_add_permission(self, request, obj=None):
        return self.superuser(request)

    def has_change_permission(self, request, obj=None):
        return self.superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self.superuser(request)


@admin.register(UserRole)
class UserRoleAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["user", "role", "firm", "region", "unit_names"]
    list_filter = ["role", "firm", "region"]
    search_fields = ["user__username", "units__name", "firm__name"]
    list_select_related = ["user", "firm", "region"]
    filter_horizontal = ["units"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("units")

    @admin.display(description="所属单位")
    def unit_names(self, user_role):
        return "、".join(unit.name for unit in user_role.units.all())


class UserRoleInline(SuperuserOnly, admin.StackedInline):
    model = UserRole
    can_delete = True
    max_num = 1
    filter_horizontal = ["units"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithRoleAdmin(UserAdmin):
    inlines = [UserRoleInline]
