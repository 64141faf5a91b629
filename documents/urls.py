from django.urls import path

from . import template_views, views, views_awards, views_decisions

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("decisions/<int:pk>/", views_decisions.document_for_decision, name="for_decision"),
    path("awards/<int:pk>/print/", views_awards.award_print, name="award_print"),
    path("templates/", template_views.templates_index, name="templates"),
    path("templates/<int:pk>/", template_views.template_detail, name="template"),
    path("templates/<int:pk>/file/", template_views.template_file, name="template_file"),
    path("templates/<int:pk>/activate/", template_views.template_activate, name="template_activate"),
    path("templates/<int:pk>/deactivate/", template_views.template_deactivate, name="template_deactivate"),
    path("templates/<str:tree>/<str:code>/", template_views.templates_province, name="templates_province"),
    path("templates/<str:tree>/<str:code>/<str:kind>/upload/", template_views.template_upload, name="template_upload"),
    path(
        "templates/<str:tree>/<str:code>/<str:kind>/shipped/", template_views.template_shipped, name="template_shipped"
    ),
]
