"""The expected answers of the route matrix (tests/test_route_permissions.py): see its docstring for
the outcomes and targets."""

# ---------------------------------------------------------------------------------------------------------
# The matrix: route name → target ("-": the route takes no arguments) → method → outcome per persona,
# in the order of PERSONAS: province, other province, district (pre-2025 Bắc Kạn city, which held
# the own village before the reform), commune, other commune, village, viewer, anonymous.
# Notes on rows that may surprise:
# - the district officer of pre-2025 Bắc Kạn city sees the own village and its households (they
#   were in the district before the reform) but not the 2025 commune, its clans, units or network;
# - the own clan spans no village, so the village officer does not see it (a clan's head is a person);
# - an import job and an API token are their owner's only (imports:job, accounts:token_revoke);
# - approving rules and deadlines: a province officer opens the national default's row (saving it makes
#   their province's own copy) but may not delete it (403); report deadlines are the system
#   administrator's (403 for all);
# - criteria:band_delete: the shipped household set has no rating band, so the band is not found;
# - stats:report_submit and statistics-figures without their parameters answer 404 / 400;
# - the home page reads only and answers GET alone (405 to a write);
# - pages that only read (lists, exports) answer a POST as they answer a GET: nothing is written
#   (the audit check below holds them to that).

ROUTES = {
    "home": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "405 405 405 405 405 405 405 login"},
    },
    # No worker beats in the test world, so the health route answers 503 to everyone (anonymous by design).
    "health": {
        "-": {"get": "503 503 503 503 503 503 503 503"},
    },
    "accounts:account_token_revoke": {
        "own": {"get": "ok 404 404 404 404 404 404 login", "post": "ok 404 404 404 404 404 404 login"},
    },
    "accounts:account_tokens": {
        "own": {"get": "ok 404 404 404 404 404 404 login", "post": "ok 404 404 404 404 404 404 login"},
    },
    "accounts:create": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "accounts:edit": {
        "own": {"get": "ok 404 404 404 404 404 404 login", "post": "ok 404 404 404 404 404 404 login"},
    },
    "accounts:import_credentials": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "accounts:list": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "accounts:login": {
        "-": {"get": "ok ok ok ok ok ok ok ok", "post": "ok ok ok ok ok ok ok ok"},
    },
    "accounts:logout": {
        "-": {"get": "405 405 405 405 405 405 405 405"},
    },
    "accounts:password_change": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "accounts:reset_password": {
        "own": {"get": "ok 404 404 404 404 404 404 login", "post": "ok 404 404 404 404 404 404 login"},
    },
    "accounts:token_revoke": {
        "own": {"get": "404 404 404 ok 404 404 404 login", "post": "404 404 404 ok 404 404 404 login"},
    },
    "accounts:tokens": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
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
    "areas:area_class_remove": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 403 404 403 403 login"},
    },
    "areas:area_classes": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok 403 403 403 403 403 login"},
    },
    # The only divided old communes are outside every persona's province: the one asked for is Hà Nội's.
    "areas:share": {
        "far": {"get": "404 404 404 404 404 404 404 login", "post": "404 404 404 404 404 404 404 login"},
    },
    "areas:share_clear": {
        "far": {"get": "405 405 405 405 405 405 405 login", "post": "404 404 404 404 404 404 404 login"},
    },
    "areas:shares": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "areas:browse": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "areas:search": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "areas:unit": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 ok login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "areas:village": {
        "own": {"get": "ok 404 ok ok 404 ok ok login", "post": "ok 404 ok ok 404 ok ok login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 ok login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "areas:village_create": {
        "own": {"get": "ok 404 404 ok 404 403 403 login", "post": "ok 404 404 ok 404 403 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 403 login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "areas:village_edit": {
        "own": {"get": "ok 404 ok ok 404 403 403 login", "post": "ok 404 ok ok 404 403 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 403 login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "areas:villages_move": {
        "own": {"get": "ok 404 404 ok 404 403 403 login", "post": "ok 404 404 ok 404 403 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 403 login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
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
    "criteria:band": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "criteria:band_create": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "criteria:band_delete": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "404 404 403 403 403 403 403 login"},
    },
    "criteria:copy": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "criteria:detail": {
        "own": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "criteria:edit": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "criteria:export_xlsx": {
        "own": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "criteria:export_yaml": {
        "own": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "criteria:list": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "criteria:node": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "criteria:node_create": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "criteria:node_delete": {
        "own": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "criteria:node_move": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok ok 403 403 403 403 403 login"},
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
    "documents:detail": {
        "own": {"get": "ok 404 404 ok 404 404 ok login", "post": "ok 404 404 ok 404 404 ok login"},
    },
    "documents:download": {
        "own": {"get": "ok 404 404 ok 404 404 ok login", "post": "ok 404 404 ok 404 404 ok login"},
    },
    "documents:for_decision": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
    },
    "documents:list": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "documents:new": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    # A province's Word templates: its province officer only; the viewer of the province sees it but may not manage it.
    "documents:templates": {
        "-": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "documents:templates_province": {
        "own": {"get": "ok 404 404 404 404 404 403 login", "post": "ok 404 404 404 404 404 403 login"},
    },
    "documents:template_upload": {
        "own": {"get": "ok 404 404 404 404 404 403 login", "post": "ok 404 404 404 404 404 403 login"},
    },
    "documents:template_shipped": {
        "own": {"get": "ok 404 404 404 404 404 403 login", "post": "ok 404 404 404 404 404 403 login"},
    },
    "documents:template": {
        "own": {"get": "ok 404 404 404 404 404 403 login", "post": "ok 404 404 404 404 404 403 login"},
    },
    "documents:template_file": {
        "own": {"get": "ok 404 404 404 404 404 403 login", "post": "ok 404 404 404 404 404 403 login"},
    },
    "documents:template_activate": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 404 404 404 403 login"},
    },
    "documents:template_deactivate": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 404 404 404 403 login"},
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
    # Awards: the nomination and the draft decision are the own commune's (Phường Bắc Kạn), which proposes
    # and awards its own certificate of merit; a village officer sees what names their village's family.
    "awards:list": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "awards:nomination_create": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "awards:recipient_search": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "awards:nomination": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
    },
    "awards:nomination_edit": {
        "own": {"get": "ok 404 404 ok 404 403 403 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    "awards:nomination_submit": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    **{
        f"awards:nomination_{move}": {
            "own": {"get": "405 405 405 405 405 405 405 login", "post": "403 404 404 ok 404 403 403 login"},
        }
        for move in ("return", "select", "reject")
    },
    "awards:decisions": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "awards:decision_create": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "awards:decision": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
    },
    "awards:decision_edit": {
        "own": {"get": "ok 404 404 ok 404 403 403 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    **{
        f"awards:decision_{action}": {
            "own": {"get": "405 405 405 405 405 405 405 login", "post": "403 404 404 ok 404 403 403 login"},
        }
        for action in ("publish", "revoke")
    },
    "awards:kinds": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "awards:kind_create": {
        "-": {"get": "403 403 403 403 403 403 403 login", "post": "403 403 403 403 403 403 403 login"},
    },
    "awards:kind": {
        "own": {"get": "403 403 403 403 403 403 403 login", "post": "403 403 403 403 403 403 403 login"},
    },
    "documents:award_print": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 ok 404 ok ok login"},
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
    "imports:commit": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "404 404 404 ok 404 404 404 login"},
    },
    "imports:job": {
        "own": {"get": "404 404 404 ok 404 404 404 login", "post": "404 404 404 ok 404 404 404 login"},
    },
    "imports:list": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "imports:new": {
        "own": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "imports:template": {
        "own": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
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
    "registry:citizen": {
        "own": {"get": "ok 404 ok ok 404 ok 403 login", "post": "ok 404 ok ok 404 ok 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 403 login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "registry:citizen_create": {
        "-": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "registry:citizen_export": {
        "own": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "registry:citizens": {
        "-": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "registry:clan": {
        "own": {"get": "ok 404 404 ok 404 404 ok login", "post": "ok 404 404 ok 404 404 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "registry:clan_create": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "registry:clan_export": {
        "own": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "registry:clans": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "registry:household": {
        "own": {"get": "ok 404 ok ok 404 ok ok login", "post": "ok 404 ok ok 404 ok 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "registry:household_create": {
        "-": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "registry:household_export": {
        "own": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "registry:households": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "registry:household_search": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "registry:clan_duplicates": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "registry:clan_merge": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "registry:network_units": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
    },
    "registry:network_unit_create": {
        "own": {"get": "ok 404 404 ok 404 403 403 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    "registry:network_unit": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    "registry:household_duplicates": {
        "-": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "registry:household_merge": {
        "-": {"get": "ok ok ok ok ok ok 403 login", "post": "ok ok ok ok ok ok 403 login"},
    },
    "registry:bring_over": {
        "own": {"get": "ok 404 404 ok 404 403 403 login", "post": "ok 404 404 ok 404 403 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 403 login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "registry:network": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 403 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "registry:network_export": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 ok ok login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 ok login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "registry:organisation": {
        "own": {"get": "ok 404 404 ok 404 ok ok login", "post": "ok 404 404 ok 404 403 403 login"},
        "other": {"get": "ok 404 404 404 ok 404 ok login", "post": "ok 404 404 404 ok 404 403 login"},
        "far": {"get": "404 ok 404 404 404 404 404 login", "post": "404 ok 404 404 404 404 404 login"},
    },
    "registry:organisation_create": {
        "-": {"get": "ok ok ok ok ok 403 403 login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "registry:organisation_export": {
        "own": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "registry:organisations": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "set_language": {
        "-": {"get": "ok ok ok ok ok ok ok ok", "post": "ok ok ok ok ok ok ok ok"},
    },
    "statistics-figures": {
        "-": {"get": "400 400 400 400 400 400 400 401"},
    },
    "dashboards:bands": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "403 403 403 403 403 403 403 login"},
    },
    # Without ?chart= the CSV names no chart: 404.
    "dashboards:chart_csv": {
        "-": {"get": "404 404 404 404 404 404 404 login"},
    },
    "dashboards:dashboard": {
        "-": {"get": "ok ok ok ok ok ok ok login"},
    },
    # The map's points as JSON; where the dashboard says why it has no chart (200), the data answers 404
    # with the same Vietnamese message.
    "dashboards:map_data": {
        "-": {"get": "ok ok 404 ok ok ok ok login", "post": "405 405 405 405 405 405 405 login"},
    },
    # The public portal: anyone reads it; without ?area= a page or a file names nothing (404, in Vietnamese).
    "portal:index": {
        "-": {"get": "ok ok ok ok ok ok ok ok", "post": "405 405 405 405 405 405 405 405"},
    },
    "portal:area": {
        "-": {"get": "404 404 404 404 404 404 404 404", "post": "405 405 405 405 405 405 405 405"},
    },
    "portal:open_data_csv": {
        "-": {"get": "404 404 404 404 404 404 404 404", "post": "405 405 405 405 405 405 405 405"},
    },
    "portal:open_data_json": {
        "-": {"get": "404 404 404 404 404 404 404 404", "post": "405 405 405 405 405 405 405 405"},
    },
    "portal:sitemap": {
        "-": {"get": "ok ok ok ok ok ok ok ok", "post": "405 405 405 405 405 405 405 405"},
    },
    # A certificate's public check, by its code only: an unknown code is a 404 for everyone; read-only.
    "portal:certificate": {
        "own": {"get": "404 404 404 404 404 404 404 404", "post": "405 405 405 405 405 405 405 405"},
    },
    # Publishing is the province officers' (and the system administrator's); an empty form is refused (400).
    "portal:publications": {
        "-": {"get": "ok ok 403 403 403 403 403 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "portal:revoke": {
        "-": {"get": "405 405 405 405 405 405 405 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "portal:licence": {
        "-": {"get": "405 405 405 405 405 405 405 login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "stats:citizen_bounds": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok 403 403 403 403 403 login"},
    },
    "stats:entered": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok 403 403 login"},
    },
    "stats:entered_delete": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 ok 404 403 403 login"},
    },
    "stats:overview": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "stats:report_accept": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 403 404 403 403 login"},
    },
    "stats:report_deadline": {
        "-": {"get": "405 405 405 405 405 405 405 login", "post": "403 403 403 403 403 403 403 login"},
    },
    "stats:report_return": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 403 404 403 403 login"},
    },
    "stats:report_submit": {
        "-": {"get": "405 405 405 405 405 405 405 login", "post": "404 404 404 404 404 404 404 login"},
    },
    "stats:reports": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok ok ok ok ok login"},
    },
    "stats:target_delete": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 404 404 404 403 login"},
    },
    "stats:targets": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "ok ok ok 403 403 403 403 login"},
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
