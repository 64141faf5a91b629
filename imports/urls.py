from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_job, name="job"),
    path("<int:pk>/commit/", views.import_commit, name="commit"),
    path("<slug:kind>/new/", views.import_new, name="new"),
    path("<slug:kind>/template.xlsx", views.import_template, name="template"),
]
