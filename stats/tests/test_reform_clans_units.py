"""Clans and units after the reform (issue 15): the officer of a new commune brings the clans and units of
the old communes merged into it over in bulk; their history and their earlier evaluations keep the old
commune, and the 2025 figures count them on the new commune — as a rebuild from the records does."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from evaluations import demo_sets
from evaluations import services as evaluation_services
from registry import reform
from registry import services as registry_services
from registry.models import Clan, Organisation
from stats.models import Fact
from stats.rebuild import rebuild_year

pytestmark = pytest.mark.django_db

SONG_CAU, BAN_THI, BAC_KAN = ("pre2025", "01837"), ("pre2025", "02035"), ("2025", "01843")


@pytest.fixture
def old_records(admin_user, villages):
    """A clan and a unit of old Phường Sông Cầu (merged into Phường Bắc Kạn), a clan of old Xã Bản Thi
    (not merged into it), and the Sông Cầu clan's evaluation of 2024 on the old commune."""
    song_cau = unit(*SONG_CAU)
    hoang = registry_services.clan_save(
        actor=admin_user,
        clan=None,
        commune=song_cau,
        name="Họ Hoàng",
        head_name="Hoàng Văn Tộc",
        member_households=40,
        has_board=True,
        villages=[villages["song_cau_1"]],
    )
    school = registry_services.organisation_save(
        actor=admin_user,
        organisation=None,
        name="Trường Tiểu học Sông Cầu",
        kind="school",
        managing_level="commune",
        area=song_cau,
    )
    far_clan = registry_services.clan_save(
        actor=admin_user,
        clan=None,
        commune=unit(*BAN_THI),
        name="Họ Ma",
        head_name="",
        member_households=12,
        has_board=False,
        villages=[],
    )
    clan_set, _created = demo_sets._clan(admin_user)
    old_evaluation = evaluation_services.evaluation_register(
        actor=admin_user, title="clan", year=2024, subject=hoang, criteria_set=clan_set
    )
    return {"clan": hoang, "unit": school, "far_clan": far_clan, "set": clan_set, "old": old_evaluation}


def figure(area, year, title, measure="registered"):
    fact = Fact.objects.filter(unit=unit(*area), village=None, year=year, title=title, measure=measure).first()
    return fact.value if fact else 0


def facts(year):
    return {(f.unit_id, f.village_id, f.title, f.measure): f.value for f in Fact.objects.filter(year=year) if f.value}


def test_the_page_offers_the_old_communes_clans_and_units_and_brings_them_over(
    client_for, personas, old_records, reform_year
):
    client = client_for(personas["commune_officer"])
    url = reverse("registry:bring_over", args=BAC_KAN)
    assert url in client.get(reverse("registry:clans")).content.decode()  # the clans list leads there
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Họ Hoàng" in text and "Trường Tiểu học Sông Cầu" in text
    assert "Họ Ma" not in text  # Xã Bản Thi went to another new commune
    clan, school = old_records["clan"], old_records["unit"]
    response = client.post(url, {"clans": [clan.code], "organisations": [school.code]})
    assert response.status_code == 302
    clan.refresh_from_db()
    school.refresh_from_db()
    assert (clan.commune.tree, clan.commune.code) == BAC_KAN
    assert (school.area.tree, school.area.code) == BAC_KAN
    assert clan.code.startswith("01837-")  # the code never changes
    assert clan.version == 2 and school.version == 2  # a form opened before is refused as stale
    entry = AuditEntry.objects.get(object_type="registry.clan", object_id=str(clan.pk), action="clan.bring_over")
    assert (entry.before["tree"], entry.before["commune"]) == SONG_CAU
    assert (entry.after["tree"], entry.after["commune"]) == BAC_KAN
    assert entry.before["villages"] == entry.after["villages"]
    assert AuditEntry.objects.filter(object_id=str(school.pk), action="organisation.bring_over").count() == 1
    # The page now has nothing left to offer.
    assert "Họ Hoàng" not in client.get(url).content.decode()


def test_the_old_years_keep_the_old_commune_and_2025_counts_them_on_the_new(admin_user, personas, old_records):
    clan, clan_set = old_records["clan"], old_records["set"]
    reform.reform_bring_over(
        actor=personas["commune_officer"], commune=unit(*BAC_KAN), clans=[clan], organisations=[old_records["unit"]]
    )
    clan.refresh_from_db()
    evaluation = evaluation_services.evaluation_register(
        actor=personas["commune_officer"], title="clan", year=2025, subject=clan, criteria_set=clan_set
    )
    assert (evaluation.area.tree, evaluation.area.code) == BAC_KAN
    old_records["old"].refresh_from_db()
    assert (old_records["old"].area.tree, old_records["old"].area.code) == SONG_CAU
    kept = {year: facts(year) for year in (2024, 2025)}
    assert figure(BAC_KAN, 2025, "clan") == 1
    assert figure(("2025", "19"), 2025, "clan") == 1  # Thái Nguyên province, on the 2025 tree
    assert figure(SONG_CAU, 2024, "clan") == 1
    assert figure(BAC_KAN, 2024, "clan") == 0
    for year in (2024, 2025):
        rebuild_year(year)
        assert facts(year) == kept[year], year
    assert figure(BAC_KAN, 2025, "clan") == 1 and figure(SONG_CAU, 2024, "clan") == 1


def test_a_clan_of_a_commune_not_merged_into_this_one_is_refused_and_nothing_moves(personas, old_records):
    with pytest.raises(ValidationError) as refused:
        reform.reform_bring_over(
            actor=personas["province_officer"],
            commune=unit(*BAC_KAN),
            clans=[old_records["clan"], old_records["far_clan"]],
        )
    assert "Họ Ma" in " ".join(refused.value.messages)
    assert Clan.objects.get(pk=old_records["clan"].pk).commune.code == "01837"
    with pytest.raises(ValidationError):
        reform.reform_bring_over(
            actor=personas["province_officer"], commune=unit(*SONG_CAU), clans=[old_records["clan"]]
        )
    with pytest.raises(ValidationError):
        reform.reform_bring_over(actor=personas["province_officer"], commune=unit(*BAC_KAN))
    assert not AuditEntry.objects.filter(action__endswith=".bring_over").exists()


def test_a_code_the_page_did_not_offer_is_an_error_on_the_page(client_for, personas, old_records):
    client = client_for(personas["commune_officer"])
    response = client.post(reverse("registry:bring_over", args=BAC_KAN), {"clans": [old_records["far_clan"].code]})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Clan.objects.get(pk=old_records["far_clan"].pk).commune.code == "02035"
    empty = client.post(reverse("registry:bring_over", args=BAC_KAN), {})
    assert empty.status_code == 200
    assert Organisation.objects.get(pk=old_records["unit"].pk).area.code == "01837"


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("province_officer", 200),
        ("commune_officer", 200),
        ("other_commune_officer", 404),
        ("village_officer", 403),
        ("viewer", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_page(client_for, personas, old_records, persona, expected):
    response = client_for(personas[persona]).get(reverse("registry:bring_over", args=BAC_KAN))
    assert response.status_code == expected
