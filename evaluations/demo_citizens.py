"""Demo learning citizens: a few persons of one demo commune, registered in the registry and evaluated
each year from 2022 (QĐ 677/QĐ-TTg) to the reform year with the illustration set ("minh hoạ"), through
the same services as the pages, so that their history, figures and decisions are those a user makes.
A second run adds nothing.
"""

import datetime
import random
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from areas.demo import demo_communes
from areas.models import Village
from criteria.models import Title
from registry.citizens import citizen_create
from registry.demo import GIVEN, SURNAMES
from registry.models import Citizen, Household, Sex

from . import services
from .decisions import decision_create, decision_publish, recognisable
from .demo_sets import build_illustration_sets
from .models import Evaluation

FIRST_YEAR = 2022  # learning citizens are evaluated from QĐ 677/QĐ-TTg (rules.md §1)
PERSONS = 8


@transaction.atomic
def build_demo_citizens(*, actor, seed: int = 2018) -> dict:
    """{"citizens": added, "evaluations": added, "decisions": added} in the first demo commune."""
    commune = demo_communes()[0]
    villages = list(Village.objects.in_commune(commune).order_by("code")[:2])
    if not villages or Citizen.objects.filter(village__in=villages).exists():
        return {"citizens": 0, "evaluations": 0, "decisions": 0}
    criteria_set = build_illustration_sets(actor=actor)[0]["citizen"]
    rng = random.Random(f"{seed}-citizens")
    citizens = []
    for number in range(PERSONS):
        village = villages[number % len(villages)]
        household = Household.objects.filter(village=village).order_by("code")[number : number + 1].first()
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        middle = "Thị" if sex == Sex.FEMALE else "Văn"
        surname = household.head_name.split()[0] if household else rng.choice(SURNAMES)
        citizens.append(
            citizen_create(
                actor=actor,
                village=village,
                household=household,
                full_name=f"{surname} {middle} {rng.choice(GIVEN)}",
                birth_year=rng.randint(1960, 2000),
                sex=sex,
            )
        )
    counts = {"citizens": len(citizens), "evaluations": 0, "decisions": 0}
    leaves = list(criteria_set.nodes.filter(children=None).order_by("position"))
    approved = defaultdict(list)
    for year in range(FIRST_YEAR, settings.KHUYENHOC_REFORM_YEAR + 1):
        for citizen in citizens:
            if rng.random() < 0.25:
                continue  # not every person registers every year
            evaluation = services.evaluation_register(
                actor=actor, title=Title.CITIZEN, year=year, subject=citizen, criteria_set=criteria_set
            )
            quality = rng.random()
            marks = {
                leaf.code: round(float(leaf.max_points) * min(1.0, quality + 0.3 * rng.random())) for leaf in leaves
            }
            evaluation = services.evaluation_marks_save(
                actor=actor, evaluation=evaluation, version=evaluation.version, marks=marks
            )
            evaluation = services.evaluation_submit(actor=actor, evaluation=evaluation, version=evaluation.version)
            evaluation = services.evaluation_approve(actor=actor, evaluation=evaluation, version=evaluation.version)
            approved[(year, evaluation.area_id)].append(evaluation.pk)
            counts["evaluations"] += 1
    for (year, _area_id), ids in sorted(approved.items()):
        area = Evaluation.objects.get(pk=ids[0]).area
        chosen = recognisable(title=Title.CITIZEN, year=year, issuing_area=area)
        if not chosen:
            continue
        decision = decision_create(
            actor=actor,
            title=Title.CITIZEN,
            year=year,
            issuing_area=area,
            number=f"{year}/QĐ-CDHT (minh hoạ)",
            date=datetime.date(year, 12, 20),
            issuing_body=f"Ủy ban nhân dân {area.name}",
            signer="Chủ tịch (minh hoạ)",
            legal_basis="Bộ tiêu chí công dân học tập (minh hoạ)",
            evaluations=chosen,
        )
        decision_publish(actor=actor, decision=decision)
        counts["decisions"] += 1
    return counts
