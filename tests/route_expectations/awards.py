"""The route matrix's rows of the awards app: see tests/route_expectations/__init__.py."""

ROUTES = {
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
}
