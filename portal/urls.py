from django.urls import path

from . import views, views_certificates

app_name = "portal"

# Areas and years are query parameters (?area=2025:01843&year=2025), as on the statistics pages.
urlpatterns = [
    path("", views.index, name="index"),
    path("khu-vuc/", views.area, name="area"),
    path("du-lieu.csv", views.open_data_csv, name="open_data_csv"),
    path("du-lieu.json", views.open_data_json, name="open_data_json"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("cong-bo/", views.publications, name="publications"),
    path("cong-bo/thu-hoi/", views.revoke, name="revoke"),
    path("cong-bo/giay-phep/", views.licence, name="licence"),
    # A printed certificate's check, reached from its QR code by its random code only (never listed).
    path("giay-chung-nhan/<str:token>/", views_certificates.certificate_check, name="certificate"),
]
