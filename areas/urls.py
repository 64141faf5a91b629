from django.urls import path

from . import views, views_shares

app_name = "areas"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("classes/", views.area_classes, name="area_classes"),
    path("classes/<int:pk>/remove/", views.area_class_membership_remove, name="area_class_remove"),
    path("shares/", views_shares.share_list, name="shares"),
    path("shares/<str:code>/", views_shares.share_edit, name="share"),
    path("shares/<str:code>/clear/", views_shares.share_clear, name="share_clear"),
    path("villages/<str:code>/", views.village_detail, name="village"),
    path("villages/<str:code>/edit/", views.village_edit, name="village_edit"),
    path("<str:tree>/<str:code>/", views.unit_detail, name="unit"),
    path("<str:tree>/<str:code>/villages/new/", views.village_create, name="village_create"),
    path("<str:tree>/<str:code>/villages/move/", views.villages_move, name="villages_move"),
]
