"""The route matrix's rows of the documents app: see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - a document is seen by those who see its area; a village officer only their own (see documents.models).

ROUTES = {
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
    "documents:award_print": {
        "own": {"get": "405 405 405 405 405 405 405 login", "post": "ok 404 404 ok 404 ok ok login"},
    },
}
