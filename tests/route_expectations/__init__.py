"""The expected answers of the route matrix (tests/test_route_permissions.py): see its docstring for
the outcomes and targets. The rows are kept by Django app, one module each; ROUTES merges them."""

# ---------------------------------------------------------------------------------------------------------
# The matrix: route name → target ("-": the route takes no arguments) → method → outcome per persona,
# in the order of PERSONAS: province, other province, district (pre-2025 Bắc Kạn city, which held
# the own village before the reform), commune, other commune, village, viewer, anonymous.
# Notes on rows that may surprise, whatever the app (each app's own notes are beside its rows):
# - the district officer of pre-2025 Bắc Kạn city sees the own village and its households (they
#   were in the district before the reform) but not the 2025 commune, its clans, units or network;
# - pages that only read (lists, exports) answer a POST as they answer a GET: nothing is written
#   (the matrix's audit check holds them to that).

from . import (
    accounts,
    api,
    areas,
    awards,
    criteria,
    dashboards,
    documents,
    evaluations,
    imports,
    portal,
    project,
    registry,
    stats,
)


def _merged(*apps):
    """The apps' rows in one dict; a route given a row by two apps would silently keep only the last."""
    routes = {}
    for app in apps:
        twice = sorted(routes.keys() & app.ROUTES.keys())
        assert twice == [], f"routes with a row in two apps' modules (the second is {app.__name__}): {twice}"
        routes.update(app.ROUTES)
    return routes


ROUTES = _merged(
    project,
    accounts,
    areas,
    registry,
    criteria,
    evaluations,
    awards,
    stats,
    imports,
    documents,
    dashboards,
    portal,
    api,
)
