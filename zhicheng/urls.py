from django.contrib import admin
from django.urls import include, path

from zhicheng.api import api
from zhicheng.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("eligibility/", include("zhicheng.eligibility.urls")),
    path("accounts/", include("zhicheng.accounts.urls")),
    path("orgs/", include("zhicheng.orgs.urls")),
    path("reference/", include("zhicheng.reference.urls")),
    path("archive/", include("zhicheng.archive.urls")),
    path("plans/", include("zhicheng.plans.urls")),
    path("applications/", include("zhicheng.applications.urls")),
    path("evaluation/", include("zhicheng.evaluation.urls")),
    path("documents/", include("zhicheng.documents.urls")),
    path("notifications/", include("zhicheng.notifications.urls")),
    path("certificates/", include("zhicheng.certificates.urls")),
    path("verify/", include("zhicheng.certificates.verify_urls")),
    path("integrity/", include("zhicheng.integrity.urls")),
    path("", include("zhicheng.portal.urls")),
]

handler500 = "zhicheng.core.health.server_error"

admin.site.site_header = "职称申报与评审管理服务平台 · 管理后台"
admin.site.site_title = "智称 Zhicheng"
