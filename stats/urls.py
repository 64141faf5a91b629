from django.urls import path

from . import views, views_bounds, views_entered, views_targets
from .views_reports import report_accept, report_deadline, report_return, report_submit, reports_page

app_name = "stats"

urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("entered/", views_entered.entered_list, name="entered"),
    path("entered/<int:pk>/delete/", views_entered.entered_delete, name="entered_delete"),
    path("targets/", views_targets.targets_page, name="targets"),
    path("targets/<int:pk>/delete/", views_targets.target_delete, name="target_delete"),
    path("citizen-base/", views_bounds.bounds_page, name="citizen_bounds"),
    path("reports/", reports_page, name="reports"),
    path("reports/submit/", report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", report_return, name="report_return"),
    path("reports/deadline/", report_deadline, name="report_deadline"),
]
