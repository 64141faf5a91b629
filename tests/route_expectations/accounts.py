"""The route matrix's rows of the accounts app: see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - an API token is its owner's only (accounts:token_revoke).

ROUTES = {
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
}
