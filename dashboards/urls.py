from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("csv/", views.chart_csv, name="chart_csv"),
    path("map/", views.map_data, name="map_data"),
    path("bands/", views.bands_page, name="bands"),
]
