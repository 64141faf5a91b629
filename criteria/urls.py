from django.urls import path  # noqa: F401  (the criteria pages add their routes here)

app_name = "criteria"
urlpatterns = []
