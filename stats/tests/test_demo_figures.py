"""The whole demo province: its statistics page reproduces the seed article's 2016–2018 table; every
figure equals a reference count made straight from the records; and every figure of every year adds up
(parent = children + its own records) and equals a rebuild — also after changes made through the
services on top of the bulk-loaded demo."""

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum

from accounts.models import User
from areas.models import AdministrativeUnit, subtree_q
from conftest import unit
from evaluations import decisions
from evaluations.models import DecisionStatus, Evaluation, RecognitionDecision
from registry.models import AreaYear, AssociationYear, Clan, Organisation
from stats import figures, mapping, overview, services
from stats.verify import verify

pytestmark = pytest.mark.django_db


def test_the_demo_province_reproduces_the_seed_table_and_every_figure_adds_up(client):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    officer = User.objects.get(role="system_admin")
    client.force_login(officer)
    # A few learning citizens of one commune, evaluated with the illustration set and recognised.
    citizens = Evaluation.objects.filter(title="citizen", criteria_set__is_illustration=True)
    assert citizens.filter(recognised=True, year=2025).exists() and citizens.filter(year=2022).exists()
    page = client.get("/statistics/", {"area": "pre2025:06", "year": 2018, "from": 2016, "to": 2018})
    period = {row.title: row.recognitions for row in page.context["period"]}
    # Nothing was entered for the commune title (nor learning citizens, from 2022) in 2016–2018: unknown, not 0.
    assert period == {
        "household": 155_235,
        "clan": 106,
        "village": 2_797,
        "unit": 950,
        "commune": None,
        "citizen": None,
    }
    commune_row = next(row for row in page.context["period"] if row.title == "commune")
    assert (commune_row.registered, commune_row.distinct) == (None, None)
    view = page.context["view"]
    network = {row.measure: row for row in view.network}
    assert view.associations_below == 134
    assert (
        network["associations_district"].figure.value,
        network["associations_province_school"].figure.value,
        network["associations_commune"].figure.value,
    ) == (8, 4, 122)
    assert network["associations_commune"].figure.source == "entered"
    assert network["agency_boards"].own == 44
    assert network["clan_boards"].figure.value == 190
    assert network["members"].figure.value == 71_000
    assert str(view.members_rate) == "23.0"
    html = page.content.decode()
    for shown in ("155.235", "2.797", "71.000", "23,0%"):
        assert shown in html

    # The registry holds the yearly base: the household rate of 2019–2025 goes on from 2016–2018's.
    rates = {}
    for year in range(2016, 2026):
        province = unit("pre2025", "06") if year < 2025 else unit("2025", "19")
        province_figures = figures.for_unit(province, year)
        rates[year] = overview.rate(
            province_figures.value("household", "recognised"), province_figures.value("household", "base")
        )
    assert all(60 <= rates[year] <= 80 for year in range(2016, 2026)), rates
    # In the reform year clans and units are evaluated on the new communes they were brought over to.
    reformed = Evaluation.objects.filter(year=2025, title__in=["clan", "unit"])
    assert set(reformed.values_list("title", flat=True)) == {"clan", "unit"}
    assert set(reformed.values_list("area__tree", flat=True)) == {"2025"}
    assert reformed.filter(title="clan").count() == Clan.objects.count()
    assert reformed.filter(title="unit").count() == Organisation.objects.count()
    assert not Clan.objects.filter(commune__tree="pre2025").exists()
    earlier = Evaluation.objects.filter(year=2024, title__in=["clan", "unit"])
    assert earlier.count() == reformed.count() and set(earlier.values_list("area__tree", flat=True)) == {"pre2025"}

    # Every figure of every year equals a reference count made straight from the records.
    for tree, code, years in (("pre2025", "06", range(2019, 2025)), ("2025", "19", [2025])):
        area = unit(tree, code)
        held = AdministrativeUnit.objects.filter(subtree_q("path", area.path))
        for year in years:
            figures_of_year = figures.for_unit(area, year)
            evaluations = Evaluation.objects.filter(year=year, area__in=held)
            for title in ("household", "clan", "village", "unit", "commune", "citizen"):
                of_title = evaluations.filter(title=title)
                assert (figures_of_year.value(title, "registered") or 0) == of_title.count(), (year, title)
                assert (figures_of_year.value(title, "recognised") or 0) == of_title.filter(recognised=True).count()
            reports = AssociationYear.objects.filter(year=year, association__area__in=held)
            assert figures_of_year.value("", "members") == reports.aggregate(total=Sum("members"))["total"]
            bases = AreaYear.objects.filter(year=year, area__in=held).aggregate(total=Sum("population"))["total"]
            assert figures_of_year.value("", "population") == bases

    # Entities recognised at least once, from the recognition patterns, equal a count of the evaluations.
    for tree, code, years in (
        ("pre2025", "06", range(2019, 2025)),
        ("2025", "19", range(2019, 2026)),
        ("2025", "01843", range(2019, 2026)),
        ("pre2025", "064", range(2020, 2023)),
    ):
        area = unit(tree, code)
        held = subtree_q("path", area.path)
        if tree == "2025":
            held |= Q(path__in=mapping.old_units_in(area))
        units = AdministrativeUnit.objects.filter(held)
        for title, subject in (
            ("household", "household"),
            ("village", "village"),
            ("clan", "clan"),
            ("unit", "organisation"),
            ("commune", "commune"),
            ("citizen", "citizen"),
        ):
            recognised = Evaluation.objects.filter(recognised=True, title=title, year__in=years, area__in=units)
            # Each once, even a clan or unit brought over in the reform year (owned by its old commune
            # before, by the new one after) or a person recognised by both.
            expected = recognised.values(subject).distinct().count()
            assert figures.distinct_recognised(area, title, list(years), tree) == expected, (code, title)

    # Changes through the services on top of the bulk-loaded demo keep every figure exact.
    decision = RecognitionDecision.objects.filter(status=DecisionStatus.PUBLISHED, year=2024, title="household").first()
    decisions.decision_revoke(actor=officer, decision=decision, reason="Kiểm tra")
    services.aggregate_save(
        actor=officer, unit=unit("pre2025", "060"), year=2017, title="clan", measure="recognised", value=9
    )
    problems = verify()
    assert set(problems) >= set(range(2016, 2026))
    assert {year: found for year, found in problems.items() if found} == {}
