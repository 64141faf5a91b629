"""The route matrix's rows of the portal app: see tests/route_expectations/__init__.py."""

ROUTES = {
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
}
