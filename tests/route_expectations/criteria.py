"""The route matrix's rows of the criteria app: see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - criteria:band_delete: the shipped household set has no rating band, so the band is not found.

ROUTES = {
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
}
