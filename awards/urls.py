from django.urls import path

from . import views, views_decisions

app_name = "awards"
urlpatterns = [
    path("", views.nomination_list, name="list"),
    path("new/", views.nomination_create, name="nomination_create"),
    path("recipients/", views.recipient_search, name="recipient_search"),
    path("<int:pk>/", views.nomination_detail, name="nomination"),
    path("<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    *(
        path(f"<int:pk>/{move}/", views.nomination_move, {"move": move}, name=f"nomination_{move}")
        for move in ("submit", "return", "select", "reject")
    ),
    path("decisions/", views_decisions.decision_list, name="decisions"),
    path("decisions/new/", views_decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views_decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", views_decisions.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/publish/", views_decisions.decision_publish, name="decision_publish"),
    path("decisions/<int:pk>/revoke/", views_decisions.decision_revoke, name="decision_revoke"),
    path("kinds/", views.kind_list, name="kinds"),
    path("kinds/new/", views.kind_edit, name="kind_create"),
    path("kinds/<int:pk>/", views.kind_edit, name="kind"),
]
