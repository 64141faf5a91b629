"""The route matrix's rows of the project's own routes (khuyenhoc/urls.py): see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - the home page reads only and answers GET alone (405 to a write).

ROUTES = {
    "home": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "405 405 405 405 405 405 405 login"},
    },
    # No worker beats in the test world, so the health route answers 503 to everyone (anonymous by design).
    "health": {
        "-": {"get": "503 503 503 503 503 503 503 503"},
    },
    "set_language": {
        "-": {"get": "ok ok ok ok ok ok ok ok", "post": "ok ok ok ok ok ok ok ok"},
    },
}
