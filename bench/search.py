"""Search benchmark: any unit or village by name, with or without diacritics, 100,000 villages loaded.

Goal: under 50 ms. Baseline: folding every name in Python per query (what a search without a
stored diacritic-free column would have to do).
"""

from common import REPEATS, analyse, ensure_data, persona, timed
from django.db import connection
from django.test import Client

from accounts.roles import Role
from areas.models import AdministrativeUnit, Tree, Village
from areas.search import search_areas
from core.text import fold

QUERIES = ["bac kan", "Bắc Kạn", "khuoi", "to dan pho 12", "na pai", "xyzxyz"]


def baseline_search(query, names):
    wanted = fold(query)
    return [name for name in names if wanted in fold(name)][:20]


def main():
    ensure_data()
    analyse()
    vendor = connection.vendor
    users = {
        "whole country (administrator)": persona("bench.admin", Role.SYSTEM_ADMIN),
        "province officer, Thái Nguyên 2025 + history": persona(
            "bench.province", Role.PROVINCE_OFFICER, Tree.Y2025, "19"
        ),
        "commune officer, 2025 commune + history": persona("bench.commune", Role.COMMUNE_OFFICER, Tree.Y2025, "01843"),
    }
    print(f"database: {vendor}; villages: {Village.objects.count():,}; units: {AdministrativeUnit.objects.count():,}")
    print(f"{REPEATS} runs per figure; median / p95 in ms\n")
    names = list(Village.objects.values_list("name", flat=True)) + list(
        AdministrativeUnit.objects.values_list("name", flat=True)
    )
    print(f"{'query':<16} {'scope':<48} {'search_areas':>16} {'baseline: fold in Python':>26} {'ratio':>7}")
    worst = 0.0
    for query in QUERIES:
        base_median, _ = timed(lambda q=query: baseline_search(q, names), repeats=max(3, REPEATS // 10))
        for label, user in users.items():
            median, p95 = timed(lambda q=query, u=user: search_areas(u, q))
            worst = max(worst, p95)
            print(
                f"{query:<16} {label:<48} {median:7.1f} / {p95:6.1f} {base_median:18.1f} {base_median / median:8.0f}×"
            )
    client = Client()
    client.force_login(users["whole country (administrator)"])
    median, p95 = timed(lambda: client.get("/areas/search/", {"q": "bac kan"}, HTTP_HX_REQUEST="true"))
    print(f"\nthe whole request (/areas/search/?q=bac kan, htmx fragment, administrator): {median:.1f} / {p95:.1f} ms")
    print(f"worst p95 of search_areas: {worst:.1f} ms (goal: under 50 ms) — {'met' if worst < 50 else 'MISSED'}")


if __name__ == "__main__":
    main()
