"""No lost update on a village: its edit form carries the version it showed; a rename or change of kind
made on a version someone else's change has moved is refused with “đã bị người khác sửa”, changes
nothing (its history included), and the form shows the values now stored."""

import pytest
from django.urls import reverse

from areas import services
from areas.models import Tree, Village
from audit.models import AuditEntry
from conftest import unit

pytestmark = pytest.mark.django_db

STALE = "đã bị người khác sửa"


def test_a_village_saved_on_the_version_shown_moves_the_version_on(client_for, personas, villages):
    page = client_for(personas["commune_officer"])
    url = reverse("areas:village_edit", args=["01837-001"])
    assert 'name="version" value="1"' in page.get(url).content.decode()
    assert page.post(url, {"name": "Tổ dân phố Một", "kind": "residential_group", "version": "1"}).status_code == 302
    village = Village.objects.get(code="01837-001")
    assert (village.name, village.version) == ("Tổ dân phố Một", 2)


@pytest.mark.parametrize("version", ["1", "", "abc", "٣"])
def test_a_stale_village_edit_is_refused_and_changes_nothing(client_for, personas, villages, admin_user, version):
    services.village_update(
        actor=admin_user,
        village=villages["song_cau_1"],
        version=1,
        name="Tổ dân phố Sông Cầu",
        kind="residential_group",
    )
    entries = AuditEntry.objects.count()
    response = client_for(personas["commune_officer"]).post(
        reverse("areas:village_edit", args=["01837-001"]),
        {"name": "Thôn Mới", "kind": "village", "version": version},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and STALE in page
    assert 'value="Tổ dân phố Sông Cầu"' in page and 'name="version" value="2"' in page  # the values now stored
    village = Village.objects.get(code="01837-001")
    assert (village.name, village.kind, village.version) == ("Tổ dân phố Sông Cầu", "residential_group", 2)
    assert AuditEntry.objects.count() == entries


def test_a_village_save_that_changes_nothing_neither_moves_the_version_nor_writes_history(villages, admin_user):
    entries = AuditEntry.objects.count()
    village = services.village_update(
        actor=admin_user, village=villages["ban_thi"], version=1, name="Thôn Nà Pài", kind="village"
    )
    assert village.version == 1 and Village.objects.get(pk=village.pk).version == 1
    assert AuditEntry.objects.count() == entries


def test_a_rename_by_a_move_moves_the_village_version_on(villages, admin_user, reform_year):
    """A village renamed because its name was taken in the new commune: a form opened before is stale."""
    other = services.village_create(
        actor=admin_user,
        commune=unit(Tree.PRE_2025, "01855"),
        name="Tổ dân phố 1",
        kind="residential_group",
        from_year=2016,
    )
    services.villages_move(
        actor=admin_user,
        villages=[other],
        commune=unit(Tree.Y2025, "01843"),
        from_year=reform_year,
        rename_clashes=True,
    )
    other.refresh_from_db()
    assert other.name != "Tổ dân phố 1" and other.version == 2
