"""The route matrix's rows of the areas app: see tests/route_expectations/__init__.py."""

ROUTES = {
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
}
