"""The demo province: Bắc Kạn's real communes, 5–20 villages each, moved onto the 2025 tree, with households
(as many as the yearly base), clans and units; safe to rerun."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Sum

from accounts.models import User
from areas.demo import demo_communes
from areas.models import Tree, Village, VillagePlacement
from evaluations.models import Evaluation, Mark, RecognitionDecision
from registry.models import AreaYear, Association, AssociationYear, Clan, Household, Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_builds_once_and_a_second_run_changes_nothing():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    communes = demo_communes()
    assert len(communes) == 108
    per_commune = (
        VillagePlacement.objects.filter(commune__in=communes).values("commune").annotate(n=Count("village")).order_by()
    )
    counts = [row["n"] for row in per_commune]
    assert len(counts) == 108 and min(counts) >= 5 and max(counts) <= 20
    total = Village.objects.count()
    reform_year = settings.KHUYENHOC_REFORM_YEAR
    on_new_tree = VillagePlacement.objects.covering(reform_year).filter(commune__tree=Tree.Y2025)
    assert on_new_tree.count() == total
    assert not VillagePlacement.objects.covering(2016).filter(commune__tree=Tree.Y2025).exists()
    assert VillagePlacement.objects.covering(2016).count() == total
    logins = out.getvalue()
    assert "tinh.thainguyen" in logins and "khuyenhoc-demo" in logins
    assert User.objects.filter(username__in=["admin", "xa.backan", "thon.ducxuan1"]).count() == 3

    per_village = Household.objects.values("village").annotate(n=Count("pk")).order_by()
    sizes = [row["n"] for row in per_village]
    assert len(sizes) == total and min(sizes) >= 44 and max(sizes) <= 76
    households, clans, units = Household.objects.count(), Clan.objects.count(), Organisation.objects.count()
    assert 108 <= clans <= 3 * 108 and units == 3 * 108

    # The network: province, 8 districts, 4 province-level schools and 108 communes each year until the reform.
    levels = dict(AssociationYear.objects.filter(year=2018).values_list("association__level").annotate(n=Count("pk")))
    assert levels == {"province": 1, "district": 8, "province_school": 4, "commune": 108}
    people = AreaYear.objects.filter(year=2018, area__in=communes).aggregate(Sum("population"))["population__sum"]
    members = AssociationYear.objects.filter(year=2018).aggregate(Sum("members"))["members__sum"]
    assert 250_000 < people < 400_000 and 0.15 < members / people < 0.3
    assert AssociationYear.objects.filter(year=reform_year, association__area__tree=Tree.Y2025).exists()
    # The yearly base of households is what the registry holds (people grow 1% a year).
    active = Household.objects.filter(is_active=True).count()
    for year in (2016, 2019, reform_year):
        base = AreaYear.objects.filter(year=year).aggregate(Sum("households"))["households__sum"]
        assert 0.94 * active <= base <= 1.1 * active, (year, base, active)
    assert not AssociationYear.objects.filter(year=reform_year, association__area__tree=Tree.PRE_2025).exists()
    network = (Association.objects.count(), AssociationYear.objects.count(), AreaYear.objects.count())

    # Evaluations from 2019 to the reform year: every active household each year.
    assert Evaluation.objects.filter(title="household", year=2019).count() == active
    assert Evaluation.objects.filter(title="household", year=reform_year).count() == active
    evaluated = (Evaluation.objects.count(), Mark.objects.count(), RecognitionDecision.objects.count())

    call_command("load_demo", stdout=io.StringIO())
    assert (Association.objects.count(), AssociationYear.objects.count(), AreaYear.objects.count()) == network
    assert Village.objects.count() == total
    assert VillagePlacement.objects.count() == 2 * total
    assert (Household.objects.count(), Clan.objects.count(), Organisation.objects.count()) == (households, clans, units)
    assert (Evaluation.objects.count(), Mark.objects.count(), RecognitionDecision.objects.count()) == evaluated


def test_the_same_seed_plans_the_same_villages():
    from areas.demo import planned_villages

    communes = demo_communes()[:5]
    first = [(c.code, name) for c, name, _ in planned_villages(communes, seed=7)]
    assert first == [(c.code, name) for c, name, _ in planned_villages(communes, seed=7)]
    assert first != [(c.code, name) for c, name, _ in planned_villages(communes, seed=8)]
