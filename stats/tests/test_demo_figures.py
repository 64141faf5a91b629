"""The whole demo province: its statistics page reproduces the seed article's 2016–2018 table, and every
figure of every year adds up (parent = children + its own records) and equals a rebuild — also after
changes made through the services on top of the bulk-loaded demo."""

import pytest
from django.core.management import call_command

from accounts.models import User
from conftest import unit
from evaluations import decisions
from evaluations.models import DecisionStatus, RecognitionDecision
from stats import services
from stats.verify import verify

pytestmark = pytest.mark.django_db


def test_the_demo_province_reproduces_the_seed_table_and_every_figure_adds_up(client):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    officer = User.objects.get(role="system_admin")
    client.force_login(officer)
    page = client.get("/statistics/", {"area": "pre2025:06", "year": 2018, "from": 2016, "to": 2018})
    period = {row.title: row.recognitions for row in page.context["period"]}
    assert period == {"household": 155_235, "clan": 106, "village": 2_797, "unit": 950, "commune": 0}
    view = page.context["view"]
    network = {row.measure: row for row in view.network}
    assert view.associations_below == 134
    assert (network["associations_district"].figure.value, network["associations_province_school"].figure.value,
            network["associations_commune"].figure.value) == (8, 4, 122)  # fmt: skip
    assert network["associations_commune"].figure.source == "entered"
    assert network["agency_boards"].own == 44
    assert network["clan_boards"].figure.value == 190
    assert network["members"].figure.value == 71_000
    assert str(view.members_rate) == "23.0"
    html = page.content.decode()
    for shown in ("155.235", "2.797", "71.000", "23,0%"):
        assert shown in html

    # Changes through the services on top of the bulk-loaded demo keep every figure exact.
    decision = RecognitionDecision.objects.filter(status=DecisionStatus.PUBLISHED, year=2024, title="household").first()
    decisions.decision_revoke(actor=officer, decision=decision, reason="Kiểm tra")
    services.aggregate_save(actor=officer, unit=unit("pre2025", "060"), year=2017, title="clan", measure="recognised",
                            value=9)  # fmt: skip
    problems = verify()
    assert set(problems) >= set(range(2016, 2026))
    assert {year: found for year, found in problems.items() if found} == {}
