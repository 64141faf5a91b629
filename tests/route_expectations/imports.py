"""The route matrix's rows of the imports app: see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - an import job is its owner's only (imports:job).

ROUTES = {
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
}
