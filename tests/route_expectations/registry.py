"""The route matrix's rows of the registry app: see tests/route_expectations/__init__.py."""

# Notes on rows that may surprise:
# - the own clan spans no village, so the village officer does not see it (a clan's head is a person).

ROUTES = {
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
}
