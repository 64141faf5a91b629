from django.urls import path, re_path

from . import views

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="households"),
    path("households/new/", views.household_create, name="household_create"),
    re_path(r"^households/export\.(?P<file_format>xlsx|csv)$", views.household_export, name="household_export"),
    path("households/<str:code>/", views.household_detail, name="household"),
]
