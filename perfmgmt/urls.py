from django.contrib import admin
from django.urls import include, path

from evaluations.admin.documents import urls as table_urls

admin.site.site_header = "预算绩效管理与公开系统"
admin.site.site_title = "预算绩效管理"
admin.site.index_title = "工作台"

urlpatterns = [
    path("admin/", include((table_urls(admin.site), "tables"))),
    path("admin/", admin.site.urls),
    path("", include("evaluations.urls")),
]
