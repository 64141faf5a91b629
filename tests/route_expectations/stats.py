"""The route matrix's rows of the stats app: see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - report deadlines are the system administrator's (stats:report_deadline: 403 for all);
# - stats:report_submit without its parameters answers 404.

ROUTES = {
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
}
