from django.urls import path, re_path

from . import (
    views,
    views_citizens,
    views_clans_units,
    views_merge,
    views_network,
    views_network_units,
    views_pickers,
    views_reform,
)

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="households"),
    path("households/new/", views.household_create, name="household_create"),
    re_path(r"^households/export\.(?P<file_format>xlsx|csv)$", views.household_export, name="household_export"),
    path("households/duplicates/", views_merge.household_duplicates, name="household_duplicates"),
    path("households/merge/", views_merge.household_merge, name="household_merge"),
    path("households/search/", views_pickers.household_search, name="household_search"),
    path("households/<str:code>/", views.household_detail, name="household"),
    path("citizens/", views_citizens.citizen_list, name="citizens"),
    path("citizens/new/", views_citizens.citizen_create_view, name="citizen_create"),
    re_path(r"^citizens/export\.(?P<file_format>xlsx|csv)$", views_citizens.citizen_export, name="citizen_export"),
    path("citizens/<str:code>/", views_citizens.citizen_detail, name="citizen"),
    path("clans/", views_clans_units.clan_list, name="clans"),
    path("clans/new/", views_clans_units.clan_edit, name="clan_create"),
    re_path(r"^clans/export\.(?P<file_format>xlsx|csv)$", views_clans_units.clan_export, name="clan_export"),
    path("clans/duplicates/", views_merge.clan_duplicates, name="clan_duplicates"),
    path("clans/merge/", views_merge.clan_merge, name="clan_merge"),
    path("clans/<str:code>/", views_clans_units.clan_edit, name="clan"),
    path("units/", views_clans_units.organisation_list, name="organisations"),
    path("units/new/", views_clans_units.organisation_edit, name="organisation_create"),
    re_path(
        r"^units/export\.(?P<file_format>xlsx|csv)$", views_clans_units.organisation_export, name="organisation_export"
    ),
    path("units/<str:code>/", views_clans_units.organisation_edit, name="organisation"),
    path("network/<str:tree>/<str:code>/", views_network.network_page, name="network"),
    path("network-units/of/<int:association_pk>/", views_network_units.unit_list, name="network_units"),
    path("network-units/of/<int:association_pk>/new/", views_network_units.unit_edit, name="network_unit_create"),
    path("network-units/<int:pk>/", views_network_units.unit_edit, name="network_unit"),
    path("reform/<str:tree>/<str:code>/", views_reform.bring_over, name="bring_over"),
    re_path(
        r"^network/(?P<tree>[^/]+)/(?P<code>[^/]+)/export/(?P<what>area-years|association-years)\.(?P<file_format>xlsx|csv)$",
        views_network.network_export,
        name="network_export",
    ),
]
