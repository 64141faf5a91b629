"""Figure requests on the demo province, as a user makes them: through the whole Django stack (session,
middleware, scope, serialisation) with the test client, on the demo's own SQLite database (built on
first run: bench/data/demo.sqlite3, about a minute).

Goal: any figure request under 50 ms. Baseline, in the same run: the same year's household figures
counted from the raw evaluations with one grouped query (what reading without facts would cost).
Run alone (`python bench/figures_demo.py`) or from bench/run.py, which starts it as its own process
because it uses its own database.
"""

from demo_common import REPEATS, ensure_demo, start_django, timed

start_django()

from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from areas.models import AdministrativeUnit, subtree_q  # noqa: E402
from evaluations.models import Evaluation  # noqa: E402

API = "/api/v1/statistics/figures/"
PAGE = "/statistics/"

REQUESTS = [
    ("API: old province 06, one year", API, {"area": "pre2025:06", "year": 2024}),
    ("API: old province 06, 2016–2018 with lượt and distinct", API, {"area": "pre2025:06", "years": "2016-2018"}),
    ("API: old province 06, 2019–2024 with lượt and distinct", API, {"area": "pre2025:06", "years": "2019-2024"}),
    ("API: new province 19, 2018 mapped onto the 2025 tree", API, {"area": "2025:19", "year": 2018}),
    ("API: new province 19, 2019–2025 (mapped and own years)", API, {"area": "2025:19", "years": "2019-2025"}),
    ("API: new province 19, 2025, with its communes", API, {"area": "2025:19", "year": 2025, "children": "true"}),
    ("API: old commune, 2024, with its villages", API, {"area": "pre2025:01837", "year": 2024, "children": "true"}),
    ("API: old province 06, 2024, CSV", API, {"area": "pre2025:06", "year": 2024, "format": "csv"}),
    ("page: old province 06, 2024", PAGE, {"area": "pre2025:06", "year": 2024}),
    ("page: new province 19, 2025", PAGE, {"area": "2025:19", "year": 2025}),
]


def raw_household_figures(province, year):
    """The baseline: registered and recognised households counted from the evaluations."""
    under = AdministrativeUnit.objects.filter(subtree_q("path", province.path)).values("pk")
    return Evaluation.objects.filter(year=year, title="household", area__in=under).aggregate(
        registered=Count("pk"), recognised=Count("pk", Q(recognised=True))
    )


def main():
    ensure_demo()
    client = Client()
    client.force_login(User.objects.get(role="system_admin"))
    print(f"demo province on SQLite; {Evaluation.objects.count():,} evaluations; {REPEATS} runs; median / p95 ms")
    print(f"{'request':<62} {'median':>8} {'p95':>8}  goal < 50 ms")
    worst = 0.0
    for label, url, params in REQUESTS:
        response = client.get(url, params)
        assert response.status_code == 200, (label, response.status_code)
        median, p95 = timed(lambda url=url, params=params: client.get(url, params))
        worst = max(worst, p95)
        print(f"{label:<62} {median:>8.1f} {p95:>8.1f}  {'met' if p95 < 50 else 'MISSED'}")
    province = AdministrativeUnit.objects.get(tree="pre2025", code="06")
    median, p95 = timed(lambda: raw_household_figures(province, 2024))
    print(f"{'baseline: 2024 household figures grouped from raw evaluations':<62} {median:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
