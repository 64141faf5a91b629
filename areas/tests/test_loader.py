"""Both trees and the official mapping come from the package, complete and reloadable."""

import pytest
from django.db.models import Count, Q

from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Level, SuccessionKind, Tree, UnitSuccession

pytestmark = pytest.mark.django_db


def count(tree, level):
    return AdministrativeUnit.objects.filter(tree=tree, level=level).count()


def test_the_pre_2025_tree_has_63_provinces_and_its_last_communes():
    assert count(Tree.PRE_2025, Level.PROVINCE) == 63
    assert count(Tree.PRE_2025, Level.DISTRICT) == 696
    assert count(Tree.PRE_2025, Level.COMMUNE) == 10035


def test_the_2025_tree_has_34_provinces_and_3321_communes_without_districts():
    assert count(Tree.Y2025, Level.PROVINCE) == 34
    assert count(Tree.Y2025, Level.COMMUNE) == 3321
    assert count(Tree.Y2025, Level.DISTRICT) == 0
    assert not AdministrativeUnit.objects.filter(
        tree=Tree.Y2025, level=Level.COMMUNE, parent__level=Level.DISTRICT
    ).exists()


def test_bac_kan_keeps_its_8_districts_and_108_communes():
    bac_kan = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="06")
    assert bac_kan.name == "Tỉnh Bắc Kạn"
    assert bac_kan.children.count() == 8
    assert AdministrativeUnit.objects.under(bac_kan).filter(level=Level.COMMUNE).count() == 108
    city = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="058")
    assert city.name == "Thành phố Bắc Kạn" and city.kind == "provincial_city"


def test_units_carry_validity_and_coordinates():
    old = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="01840")
    new = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01840")
    assert old.valid_to.isoformat() == "2025-06-30" and new.valid_from.isoformat() == "2025-07-01"
    assert old.latitude and new.longitude and new.area_km2


def test_every_old_commune_maps_forward_and_divided_ones_have_exactly_one_default():
    old_communes = AdministrativeUnit.objects.filter(tree=Tree.PRE_2025, level=Level.COMMUNE)
    assert not old_communes.filter(successions__isnull=True).exists()
    divided = (
        UnitSuccession.objects.filter(kind=SuccessionKind.DIVIDED, predecessor__level=Level.COMMUNE)
        .values("predecessor")
        .annotate(defaults=Count("pk", filter=Q(is_default=True)))
        .order_by()
    )
    assert divided.count() == 471
    assert {row["defaults"] for row in divided} == {1}


def test_bac_kan_merged_into_thai_nguyen_with_its_districts():
    thai_nguyen = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19")
    old_codes = set(
        thai_nguyen.predecessions.filter(predecessor__level=Level.PROVINCE).values_list("predecessor__code", flat=True)
    )
    assert old_codes == {"06", "19"}
    assert thai_nguyen.predecessions.filter(kind=SuccessionKind.ABOLISHED_LEVEL, predecessor__code="064").exists()


def test_loading_again_changes_nothing():
    result = load_administrative_units()
    assert (result.created, result.updated, result.successions_created, result.successions_updated) == (0, 0, 0, 0)
    assert result.unchanged == 14149
