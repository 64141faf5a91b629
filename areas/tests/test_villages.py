"""Villages: codes, names unique per commune, a parent commune per period that survives the reform."""

import pytest
from django.core.exceptions import ValidationError

from areas import services
from areas.models import Tree, Village, VillagePlacement
from audit.models import AuditEntry
from conftest import unit

pytestmark = pytest.mark.django_db


def test_a_village_code_is_its_commune_code_and_a_local_number(villages):
    assert villages["song_cau_1"].code == "01837-001"
    assert villages["song_cau_2"].code == "01837-002"


def test_codes_are_not_reused_when_a_new_commune_reuses_an_old_code(admin_user, reform_year):
    old = unit(Tree.PRE_2025, "01840")
    new = unit(Tree.Y2025, "01840")
    first = services.village_create(
        actor=admin_user, commune=old, name="Tổ 1", kind="residential_group", from_year=2020
    )
    second = services.village_create(
        actor=admin_user, commune=new, name="Tổ 7", kind="residential_group", from_year=reform_year
    )
    assert (first.code, second.code) == ("01840-001", "01840-002")


def test_a_communes_thousandth_village_and_the_next_get_new_codes(admin_user, reform_year):
    """Numbers are compared as numbers: as text "01840-999" comes after "01840-1000"."""
    commune = unit(Tree.Y2025, "01840")
    Village.objects.create(code="01840-999", name="Tổ 999", kind="residential_group")
    Village.objects.create(code="01840-1000", name="Tổ 1000", kind="residential_group")
    made = services.village_create(
        actor=admin_user, commune=commune, name="Tổ 1001", kind="residential_group", from_year=reform_year
    )
    assert made.code == "01840-1001"


def test_a_village_on_the_old_tree_ends_the_year_before_the_reform(villages, reform_year):
    placement = VillagePlacement.objects.get(village=villages["ban_thi"])
    assert (placement.from_year, placement.to_year) == (2016, reform_year - 1)


def test_a_duplicate_name_in_the_same_commune_is_refused_and_nothing_is_saved(villages, admin_user):
    before = Village.objects.count()
    with pytest.raises(ValidationError) as error:
        services.village_create(
            actor=admin_user, commune=unit(Tree.PRE_2025, "02035"), name="thôn  nà pài", kind="village", from_year=2018
        )
    assert "đã có thôn" in str(error.value.messages) or "already has a village" in str(error.value.messages)
    assert Village.objects.count() == before


def test_the_same_name_in_another_commune_is_fine(villages, admin_user):
    village = services.village_create(
        actor=admin_user, commune=unit(Tree.PRE_2025, "01876"), name="Thôn Nà Pài", kind="village", from_year=2018
    )
    assert village.code.startswith("01876-")


def test_decomposed_unicode_is_stored_as_nfc(admin_user):
    import unicodedata

    name = unicodedata.normalize("NFD", "Bản Khuổi Ỏ")
    village = services.village_create(
        actor=admin_user, commune=unit(Tree.PRE_2025, "01858"), name=name, kind="hamlet", from_year=2019
    )
    assert village.name == unicodedata.normalize("NFC", "Bản Khuổi Ỏ")
    assert village.search_name == "ban khuoi o"


def test_a_commune_of_the_wrong_tree_for_the_year_is_refused(admin_user, reform_year):
    with pytest.raises(ValidationError):
        services.village_create(
            actor=admin_user, commune=unit(Tree.Y2025, "01843"), name="Tổ 9", kind="village", from_year=2020
        )
    with pytest.raises(ValidationError):
        services.village_create(
            actor=admin_user, commune=unit(Tree.PRE_2025, "01837"), name="Tổ 9", kind="village", from_year=reform_year
        )
    with pytest.raises(ValidationError):
        services.village_create(
            actor=admin_user, commune=unit(Tree.PRE_2025, "058"), name="Tổ 9", kind="village", from_year=2020
        )


def test_a_moved_village_keeps_its_old_commune_for_earlier_years(villages, reform_year):
    village = villages["song_cau_1"]
    assert village.placement_in(2018).commune == unit(Tree.PRE_2025, "01837")
    assert village.placement_in(reform_year - 1).commune == unit(Tree.PRE_2025, "01837")
    assert village.placement_in(reform_year).commune == unit(Tree.Y2025, "01843")
    assert village.placement_in(reform_year + 5).commune == unit(Tree.Y2025, "01843")
    assert Village.objects.in_commune(unit(Tree.PRE_2025, "01837"), 2018).count() == 2
    assert Village.objects.in_commune(unit(Tree.PRE_2025, "01837"), reform_year).count() == 0


def test_moving_again_changes_nothing(villages, admin_user, reform_year):
    moved = services.villages_move(
        actor=admin_user, villages=[villages["song_cau_1"]], commune=unit(Tree.Y2025, "01843"), from_year=reform_year
    )
    assert moved == 0
    assert villages["song_cau_1"].placements.count() == 2


def test_a_move_with_a_clashing_name_fails_whole_unless_renaming_is_asked(villages, admin_user, reform_year):
    new_ward = unit(Tree.Y2025, "01843")
    other = services.village_create(
        actor=admin_user,
        commune=unit(Tree.PRE_2025, "01855"),
        name="Tổ dân phố 1",
        kind="residential_group",
        from_year=2016,
    )
    extra = services.village_create(
        actor=admin_user,
        commune=unit(Tree.PRE_2025, "01855"),
        name="Tổ dân phố 9",
        kind="residential_group",
        from_year=2016,
    )
    with pytest.raises(ValidationError):
        services.villages_move(actor=admin_user, villages=[extra, other], commune=new_ward, from_year=reform_year)
    assert extra.placements.count() == 1 and other.placements.count() == 1
    services.villages_move(
        actor=admin_user, villages=[extra, other], commune=new_ward, from_year=reform_year, rename_clashes=True
    )
    other.refresh_from_db()
    assert other.name == "Tổ dân phố 1 (Xuất Hóa)"
    assert other.placement_in(2020).commune.code == "01855"


def test_every_change_writes_an_audit_row(villages, admin_user):
    village = villages["ban_thi"]
    services.village_update(actor=admin_user, village=village, version=1, name="Thôn Nà Pài Mới", kind="village")
    entries = AuditEntry.objects.filter(object_type="areas.village", object_id=str(village.pk)).order_by("id")
    assert [e.action for e in entries] == ["village.create", "village.update"]
    assert entries.last().before == {"name": "Thôn Nà Pài", "kind": "village"}
    assert entries.last().actor == admin_user


def test_default_successor_follows_the_official_mapping():
    assert services.default_successor(unit(Tree.PRE_2025, "01837")) == unit(Tree.Y2025, "01843")
