from django.urls import include, path

from khuyenhoc import views
from khuyenhoc.health import health

urlpatterns = [
    path("health/", health, name="health"),
    # Everyone's landing page: the work waiting for them and their area's figures.
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("areas/", include("areas.urls")),
    path("registry/", include("registry.urls")),
    path("criteria/", include("criteria.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("awards/", include("awards.urls")),
    path("statistics/", include("stats.urls")),
    path("imports/", include("imports.urls")),
    path("documents/", include("documents.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("cong-khai/", include("portal.urls")),
    path("api/v1/", include("api.urls")),
]

# Our own 400 page says what a view found wrong (khuyenhoc.errors); 403, 404 and 500 are the templates.
handler400 = "khuyenhoc.errors.bad_request"
