"""The route matrix's rows of the dashboards app: see tests/route_expectations/__init__.py."""

ROUTES = {
    "dashboards:bands": {
        "-": {"get": "ok ok ok ok ok ok ok login", "post": "403 403 403 403 403 403 403 login"},
    },
    # Without ?chart= the CSV names no chart: 404.
    "dashboards:chart_csv": {
        "-": {"get": "404 404 404 404 404 404 404 login"},
    },
    "dashboards:dashboard": {
        "-": {"get": "ok ok ok ok ok ok ok login"},
    },
    # The map's points as JSON; where the dashboard says why it has no chart (200), the data answers 404
    # with the same Vietnamese message.
    "dashboards:map_data": {
        "-": {"get": "ok ok 404 ok ok ok ok login", "post": "405 405 405 405 405 405 405 login"},
    },
}
