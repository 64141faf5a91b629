"""The route matrix's rows of the evaluations app: see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - approving rules and deadlines: a province officer opens the national default's row (saving it makes
#   their province's own copy) but may not delete it (403).

ROUTES = {
    "evaluations:approve_many": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "evaluations:approver_rule": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "evaluations:approver_rule_create": {
        "-": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "evaluations:approver_rule_delete": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "403 403 403 403 403 403 403 login"},
    },
    "evaluations:deadline": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "evaluations:deadline_create": {
        "-": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "evaluations:deadline_delete": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "403 403 403 403 403 403 403 login"},
    },
    "evaluations:decision": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
    },
    "evaluations:decision_create": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "evaluations:decision_edit": {
        "own": {"get": "ok 404 404 ok 404 403 403 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    "evaluations:decision_publish": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    "evaluations:decision_revoke": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    "evaluations:decisions": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "evaluations:detail": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok 403 login"},
    },
    "evaluations:evidence": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
    },
    "evaluations:grid": {
        "own": {"get": "ok 404 ok ok 404 ok ok login", "post": "ok 404 ok ok 404 ok 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "evaluations:grid_open": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "evaluations:list": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "evaluations:register": {
        "-": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "evaluations:subject_recognitions": {
        "own": {"get": "ok 404 ok ok 404 ok ok login", "post": "ok 404 ok ok 404 ok ok login"},
    },
    "evaluations:subject_search": {
        "-": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "evaluations:rules": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "evaluations:years": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
}
