from django.urls import path  # noqa: F401  (the evaluation and decision pages add their routes here)

from . import views, views_bulk, views_decisions, views_grid, views_recognitions, views_rules, views_subjects

app_name = "evaluations"
urlpatterns = [
    # Evaluations: list, registration, one evaluation, the village grid, the approver's pages.
    path("", views.evaluation_list, name="list"),
    path("register/", views.evaluation_register, name="register"),
    path("register/subjects/", views_subjects.subject_search, name="subject_search"),
    path("approve/", views_bulk.approve_many, name="approve_many"),
    path("years/", views_bulk.years, name="years"),
    path("grid/", views.grid_open, name="grid_open"),
    path("grid/<str:village_code>/<int:year>/", views_grid.grid, name="grid"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    # A subject's evaluations and recognitions by year, loaded by its own page.
    path("subjects/<str:title>/<str:code>/", views_recognitions.subject_recognitions, name="subject_recognitions"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    # Recognition decisions (keep these last).
    path("decisions/", views_decisions.decision_list, name="decisions"),
    path("decisions/new/", views_decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views_decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", views_decisions.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/publish/", views_decisions.decision_publish, name="decision_publish"),
    path("decisions/<int:pk>/revoke/", views_decisions.decision_revoke, name="decision_revoke"),
    # The rules of the evaluation year: approving levels and deadlines.
    path("rules/", views_rules.rule_list, name="rules"),
    path("rules/approvers/new/", views_rules.approver_rule_edit, name="approver_rule_create"),
    path("rules/approvers/<int:pk>/", views_rules.approver_rule_edit, name="approver_rule"),
    path("rules/approvers/<int:pk>/delete/", views_rules.approver_rule_delete, name="approver_rule_delete"),
    path("rules/deadlines/new/", views_rules.deadline_edit, name="deadline_create"),
    path("rules/deadlines/<int:pk>/", views_rules.deadline_edit, name="deadline"),
    path("rules/deadlines/<int:pk>/delete/", views_rules.deadline_delete, name="deadline_delete"),
]
