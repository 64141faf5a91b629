from django.urls import path

from . import views, views_decisions

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("decisions/<int:pk>/", views_decisions.document_for_decision, name="for_decision"),
]
