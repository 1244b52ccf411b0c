from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from evaluations.admin.documents import urls as table_urls

admin.site.site_header = "预算绩效管理与公开系统"
admin.site.site_title = "预算绩效管理"
admin.site.index_title = "工作台"

urlpatterns = [
    path(settings.ADMIN_URL, include((table_urls(admin.site), "tables"))),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("evaluations.urls")),
]
