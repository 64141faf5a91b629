from django.urls import path  # noqa: F401  (the evaluation and decision pages add their routes here)

app_name = "evaluations"
urlpatterns = []
