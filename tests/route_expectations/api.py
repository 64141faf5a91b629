"""The route matrix's rows of the API (api/urls.py: the router's viewsets and the token, schema and
figures views): see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - the own clan spans no village, so the village officer does not see it (a clan's head is a person);
# - statistics-figures without its parameters answers 400.

ROUTES = {
    "api-root": {
        "-": {"get": "ok ok ok ok ok ok ok 401"},
    },
    "api-token": {
        "-": {"get": "405 405 405 405 405 405 405 405", "post": "ok ok ok ok ok ok ok ok"},
    },
    "area-year-detail": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    "area-year-history": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    "area-year-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok 403 403 401"},
    },
    "association-close": {
        "own": {"post": "ok 404 404 ok 404 403 403 401"},
    },
    "association-detail": {
        "own": {
            "get": "ok 404 404 ok 404 ok ok 401",
            "put": "ok 404 404 ok 404 403 403 401",
            "patch": "ok 404 404 ok 404 403 403 401",
        },
    },
    "association-history": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    "association-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok 403 403 401"},
    },
    "association-year-detail": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    "association-year-history": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    "association-year-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok 403 403 401"},
    },
    "clan-detail": {
        "own": {
            "get": "ok 404 404 ok 404 404 ok 401",
            "put": "ok 404 404 ok 404 404 403 401",
            "patch": "ok 404 404 ok 404 404 403 401",
        },
        "other": {
            "get": "ok 404 404 404 ok 404 ok 401",
            "put": "ok 404 404 404 ok 404 403 401",
            "patch": "ok 404 404 404 ok 404 403 401",
        },
        "far": {
            "get": "404 ok 404 404 404 404 404 401",
            "put": "404 ok 404 404 404 404 404 401",
            "patch": "404 ok 404 404 404 404 404 401",
        },
    },
    "clan-merge": {
        "own": {"post": "ok 404 404 ok 404 404 403 401"},
        "other": {"post": "ok 404 404 404 ok 404 403 401"},
        "far": {"post": "404 ok 404 404 404 404 404 401"},
    },
    "clan-history": {
        "own": {"get": "ok 404 404 ok 404 404 ok 401"},
        "other": {"get": "ok 404 404 404 ok 404 ok 401"},
        "far": {"get": "404 ok 404 404 404 404 404 401"},
    },
    "clan-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok 403 403 401"},
    },
    "criteria-set-detail": {
        "own": {"get": "ok ok ok ok ok ok ok 401"},
    },
    "criteria-set-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401"},
    },
    "decision-detail": {
        "own": {
            "get": "ok 404 404 ok 404 ok ok 401",
            "put": "ok 404 404 ok 404 403 403 401",
            "patch": "ok 404 404 ok 404 403 403 401",
        },
    },
    "decision-history": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    # A document is seen by those who see its area; a village officer only their own (see documents.models).
    "document-detail": {
        "own": {"get": "ok 404 404 ok 404 404 ok 401"},
    },
    "document-download": {
        "own": {"get": "ok 404 404 ok 404 404 ok 401"},
    },
    "document-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok ok ok 401"},
    },
    "decision-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok 403 403 401"},
    },
    "decision-publish": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 403 403 401"},
    },
    "decision-revoke": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 403 403 401"},
    },
    "evaluation-adjust": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 403 403 401"},
    },
    "evaluation-approve": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 403 403 401"},
    },
    "evaluation-detail": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    "evaluation-history": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
    },
    "evaluation-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok ok 403 401"},
    },
    "evaluation-marks": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 ok 403 401"},
    },
    "evaluation-return": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 403 403 401"},
    },
    "evaluation-submit": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 ok 403 401"},
    },
    "evaluation-unlock": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 403 403 401"},
    },
    # Awards through the API (the same nomination and draft decision as the award pages).
    "award-nomination-list": {"-": {"get": "ok ok ok ok ok ok ok 401"}},
    "award-nomination-detail": {"own": {"get": "ok 404 404 ok 404 ok ok 401"}},
    "award-nomination-history": {"own": {"get": "ok 404 404 ok 404 ok ok 401"}},
    "award-nomination-submit": {
        "own": {"get": "405 405 405 405 405 405 405 401", "post": "ok 404 404 ok 404 403 403 401"},
    },
    **{
        f"award-nomination-{move}": {
            "own": {"get": "405 405 405 405 405 405 405 401", "post": "403 404 404 ok 404 403 403 401"},
        }
        for move in ("return", "select", "reject")
    },
    "award-decision-list": {"-": {"get": "ok ok ok ok ok ok ok 401"}},
    "award-decision-detail": {"own": {"get": "ok 404 404 ok 404 ok ok 401"}},
    "award-decision-history": {"own": {"get": "ok 404 404 ok 404 ok ok 401"}},
    **{
        f"award-decision-{action}": {
            "own": {"get": "405 405 405 405 405 405 405 401", "post": "403 404 404 ok 404 403 403 401"},
        }
        for action in ("publish", "revoke")
    },
    "household-detail": {
        "own": {
            "get": "ok 404 ok ok 404 ok ok 401",
            "put": "ok 404 ok ok 404 ok 403 401",
            "patch": "ok 404 ok ok 404 ok 403 401",
        },
        "other": {
            "get": "ok 404 404 404 ok 404 ok 401",
            "put": "ok 404 404 404 ok 404 403 401",
            "patch": "ok 404 404 404 ok 404 403 401",
        },
        "far": {
            "get": "404 ok 404 404 404 404 404 401",
            "put": "404 ok 404 404 404 404 404 401",
            "patch": "404 ok 404 404 404 404 404 401",
        },
    },
    "household-merge": {
        "own": {"post": "ok 404 ok ok 404 ok 403 401"},
        "other": {"post": "ok 404 404 404 ok 404 403 401"},
        "far": {"post": "404 ok 404 404 404 404 404 401"},
    },
    "household-history": {
        "own": {"get": "ok 404 ok ok 404 ok ok 401"},
        "other": {"get": "ok 404 404 404 ok 404 ok 401"},
        "far": {"get": "404 ok 404 404 404 404 404 401"},
    },
    # Persons (learning citizens) are personal data: officers in scope only, never viewers (403).
    "citizen-detail": {
        "own": {
            "get": "ok 404 ok ok 404 ok 403 401",
            "put": "ok 404 ok ok 404 ok 403 401",
            "patch": "ok 404 ok ok 404 ok 403 401",
        },
        "other": {
            "get": "ok 404 404 404 ok 404 403 401",
            "put": "ok 404 404 404 ok 404 403 401",
            "patch": "ok 404 404 404 ok 404 403 401",
        },
        "far": {
            "get": "404 ok 404 404 404 404 404 401",
            "put": "404 ok 404 404 404 404 404 401",
            "patch": "404 ok 404 404 404 404 404 401",
        },
    },
    "citizen-history": {
        "own": {"get": "ok 404 ok ok 404 ok 403 401"},
        "other": {"get": "ok 404 404 404 ok 404 403 401"},
        "far": {"get": "404 ok 404 404 404 404 404 401"},
    },
    "citizen-list": {
        "-": {"get": "ok ok ok ok ok ok 403 401", "post": "ok ok ok ok ok ok 403 401"},
    },
    "household-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok ok 403 401"},
    },
    "openapi": {
        "-": {"get": "ok ok ok ok ok ok ok ok"},
    },
    "organisation-detail": {
        "own": {
            "get": "ok 404 404 ok 404 ok ok 401",
            "put": "ok 404 404 ok 404 403 403 401",
            "patch": "ok 404 404 ok 404 403 403 401",
        },
        "other": {
            "get": "ok 404 404 404 ok 404 ok 401",
            "put": "ok 404 404 404 ok 404 403 401",
            "patch": "ok 404 404 404 ok 404 403 401",
        },
        "far": {
            "get": "404 ok 404 404 404 404 404 401",
            "put": "404 ok 404 404 404 404 404 401",
            "patch": "404 ok 404 404 404 404 404 401",
        },
    },
    "organisation-history": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
        "other": {"get": "ok 404 404 404 ok 404 ok 401"},
        "far": {"get": "404 ok 404 404 404 404 404 401"},
    },
    "organisation-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok 403 403 401"},
    },
    "statistics-figures": {
        "-": {"get": "400 400 400 400 400 400 400 401"},
    },
    "unit-detail": {
        "own": {"get": "ok 404 404 ok 404 ok ok 401"},
        "other": {"get": "ok 404 404 404 ok 404 ok 401"},
        "far": {"get": "404 ok 404 404 404 404 404 401"},
    },
    "unit-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401"},
    },
    "village-detail": {
        "own": {
            "get": "ok 404 ok ok 404 ok ok 401",
            "put": "ok 404 ok ok 404 403 403 401",
            "patch": "ok 404 ok ok 404 403 403 401",
        },
        "other": {
            "get": "ok 404 404 404 ok 404 ok 401",
            "put": "ok 404 404 404 ok 404 403 401",
            "patch": "ok 404 404 404 ok 404 403 401",
        },
        "far": {
            "get": "404 ok 404 404 404 404 404 401",
            "put": "404 ok 404 404 404 404 404 401",
            "patch": "404 ok 404 404 404 404 404 401",
        },
    },
    "village-history": {
        "own": {"get": "ok 404 ok ok 404 ok ok 401"},
        "other": {"get": "ok 404 404 404 ok 404 ok 401"},
        "far": {"get": "404 ok 404 404 404 404 404 401"},
    },
    "village-list": {
        "-": {"get": "ok ok ok ok ok ok ok 401", "post": "ok ok ok ok ok 403 403 401"},
    },
    "village-move": {
        "own": {"post": "ok 404 ok ok 404 403 403 401"},
        "other": {"post": "ok 404 404 404 ok 404 403 401"},
        "far": {"post": "404 ok 404 404 404 404 404 401"},
    },
}
