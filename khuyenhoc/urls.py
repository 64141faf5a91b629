from django.urls import include, path
from django.views.generic import RedirectView

from khuyenhoc.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("", RedirectView.as_view(pattern_name="areas:browse", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("areas/", include("areas.urls")),
    path("registry/", include("registry.urls")),
    path("criteria/", include("criteria.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("statistics/", include("stats.urls")),
    path("imports/", include("imports.urls")),
    path("documents/", include("documents.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("cong-khai/", include("portal.urls")),
    path("api/v1/", include("api.urls")),
]
