from django.urls import path

from . import views, views_edit

app_name = "criteria"
urlpatterns = [
    path("", views.criteria_list, name="list"),
    path("<int:pk>/", views.criteria_detail, name="detail"),
    path("<int:pk>/copy/", views.criteria_copy, name="copy"),
    path("<int:pk>/export.yaml", views.export_yaml, name="export_yaml"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/edit/", views_edit.set_edit, name="edit"),
    path("<int:pk>/nodes/new/", views_edit.node_edit, name="node_create"),
    path("<int:pk>/nodes/<int:node_pk>/", views_edit.node_edit, name="node"),
    path("<int:pk>/nodes/<int:node_pk>/delete/", views_edit.node_delete, name="node_delete"),
    path("<int:pk>/nodes/<int:node_pk>/move/", views_edit.node_move, name="node_move"),
    path("<int:pk>/ratings/new/", views_edit.band_edit, name="band_create"),
    path("<int:pk>/ratings/<int:band_pk>/", views_edit.band_edit, name="band"),
    path("<int:pk>/ratings/<int:band_pk>/delete/", views_edit.band_delete, name="band_delete"),
]
