"""Duplicates merged (issue 15, item 9), the registry's part: an officer finds households with the same
head (or clans with the same name) in one place, with or without diacritics, and merges them into the
one they keep; the duplicate is kept, marked as merged, and both histories say so. The evaluations and
figures a merge moves are in stats/tests/test_merge_figures.py (the registry cannot import them)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from registry import citizens, merging, services
from registry.models import Citizen, Clan, Household

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(villages, admin_user):
    """In Tổ dân phố 1: two “Hoàng Văn An” (one typed in capitals), a “Hoang Van An” without diacritics,
    and another head; in Tổ dân phố 2, a third “Hoàng Văn An” (another village: no duplicate)."""

    def make(name, village="song_cau_1"):
        return services.household_create(actor=admin_user, village=villages[village], head_name=name, members=4)

    return {
        "an": make("Hoàng Văn An"),
        "an_capitals": make("HOÀNG VĂN AN"),
        "an_plain": make("Hoang Van An"),
        "binh": make("Lý Thị Bình"),
        "an_elsewhere": make("Hoàng Văn An", "song_cau_2"),
    }


def merge_page(*records):
    return reverse("registry:household_merge") + "?" + "&".join(f"code={record.code}" for record in records)


def test_households_with_the_same_head_in_a_village_are_found_with_and_without_diacritics(households, personas):
    groups = merging.household_candidates(
        personas["commune_officer"], list(merging.household_groups(personas["commune_officer"]))
    )
    assert [{h.code for h in group.records} for group in groups] == [
        {households["an"].code, households["an_capitals"].code, households["an_plain"].code}
    ]
    assert not groups[0].likely  # “Hoang Van An” matches only without diacritics


def test_the_same_name_but_for_case_is_likely_and_without_diacritics_possible(households, personas, admin_user):
    services.household_update(
        actor=admin_user,
        household=households["an_plain"],
        version=households["an_plain"].version,
        village=households["an_plain"].village,
        head_name="Hoàng Văn Ăn",
        members=4,
        is_active=True,
    )
    group = merging.household_candidates(admin_user, list(merging.household_groups(admin_user)))[0]
    assert len(group.records) == 3 and not group.likely
    services.household_update(
        actor=admin_user,
        household=Household.objects.get(pk=households["an_plain"].pk),
        version=households["an_plain"].version + 1,
        village=households["an_plain"].village,
        head_name="Hoàng văn an",
        members=4,
        is_active=True,
    )
    group = merging.household_candidates(admin_user, list(merging.household_groups(admin_user)))[0]
    assert group.likely


def test_the_page_lists_them_for_the_officer_and_leads_to_the_merge(client_for, personas, households):
    client = client_for(personas["commune_officer"])
    assert reverse("registry:household_duplicates") in client.get(reverse("registry:households")).content.decode()
    page = client.get(reverse("registry:household_duplicates")).content.decode()
    assert "Hộ có thể trùng nhau" in page and "có thể" in page
    assert households["an_plain"].code in page and households["binh"].code not in page
    assert households["an_elsewhere"].code not in page
    assert merge_page(households["an"], households["an_capitals"], households["an_plain"]).split("?")[0] in page


def test_another_communes_officer_finds_nothing_and_cannot_open_the_merge(client_for, personas, households):
    client = client_for(personas["other_commune_officer"])
    page = client.get(reverse("registry:household_duplicates")).content.decode()
    assert households["an"].code not in page
    assert client.get(merge_page(households["an"], households["an_capitals"])).status_code == 404


def test_a_viewer_is_refused_and_an_anonymous_visitor_sent_to_log_in(client_for, personas, households):
    viewer = client_for(personas["viewer"])
    assert viewer.get(reverse("registry:household_duplicates")).status_code == 403
    assert viewer.get(merge_page(households["an"], households["an_capitals"])).status_code == 403
    anonymous = client_for(None)
    answer = anonymous.get(reverse("registry:household_duplicates"))
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_the_officer_previews_and_merges_and_the_duplicate_leads_to_the_survivor(client_for, personas, households):
    survivor, duplicate = households["an"], households["an_capitals"]
    person = citizens.citizen_create(
        actor=personas["commune_officer"],
        village=survivor.village,
        household=duplicate,
        full_name="Hoàng Thị Mai",
        birth_year=1990,
        sex="female",
        target_group=None,
    )
    client = client_for(personas["commune_officer"])
    preview = client.get(merge_page(survivor, duplicate)).content.decode()
    assert "Công dân học tập: 1" in preview  # what would move, before anything does
    answer = client.post(
        merge_page(survivor, duplicate),
        {
            "keep": survivor.code,
            "merge": [duplicate.code],
            "reason": "Nhập hai lần khi chuyển sổ",
            f"version-{survivor.code}": survivor.version,
            f"version-{duplicate.code}": duplicate.version,
        },
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("registry:household", args=[survivor.code])
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk and not duplicate.is_active
    assert Citizen.objects.get(pk=person.pk).household_id == survivor.pk
    entries = AuditEntry.objects.filter(action__in=["household.merge", "household.merged_into"])
    assert {(e.object_id, e.reason) for e in entries} == {
        (str(survivor.pk), "Nhập hai lần khi chuyển sổ"),
        (str(duplicate.pk), "Nhập hai lần khi chuyển sổ"),
    }
    page = client.get(reverse("registry:household", args=[duplicate.code])).content.decode()
    assert "đã được gộp vào" in page and reverse("registry:household", args=[survivor.code]) in page
    assert duplicate.code not in client.get(reverse("registry:household_duplicates")).content.decode()


def test_a_merge_on_versions_that_have_moved_since_is_refused(households, personas):
    survivor, duplicate = households["an"], households["an_capitals"]
    stale = {survivor.pk: survivor.version, duplicate.pk: duplicate.version}
    services.household_update(
        actor=personas["commune_officer"],
        household=duplicate,
        version=duplicate.version,
        village=duplicate.village,
        head_name=duplicate.head_name,
        members=5,
        is_active=True,
    )
    with pytest.raises(ValidationError) as refused:
        merging.household_merge(
            survivor=survivor, duplicates=[duplicate], actor=personas["commune_officer"], reason="Trùng", versions=stale
        )
    assert refused.value.code == "stale"
    assert Household.objects.get(pk=duplicate.pk).merged_into_id is None


def test_households_of_two_villages_or_without_a_reason_are_not_merged(households, personas):
    officer = personas["commune_officer"]
    survivor, elsewhere = households["an"], households["an_elsewhere"]
    versions = {survivor.pk: survivor.version, elsewhere.pk: elsewhere.version}
    with pytest.raises(ValidationError, match="ở thôn khác"):
        merging.household_merge(survivor=survivor, duplicates=[elsewhere], actor=officer, reason="x", versions=versions)
    with pytest.raises(ValidationError, match="lý do gộp"):
        merging.household_merge(survivor=survivor, duplicates=[elsewhere], actor=officer, reason=" ", versions=versions)
    assert not Household.objects.exclude(merged_into=None).exists()


def test_a_merged_household_is_no_longer_changed(households, personas):
    officer = personas["commune_officer"]
    survivor, duplicate = households["an"], households["an_capitals"]
    merging.household_merge(
        survivor=survivor,
        duplicates=[duplicate],
        actor=officer,
        reason="Trùng",
        versions={survivor.pk: survivor.version, duplicate.pk: duplicate.version},
    )
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError, match="đã được gộp vào"):
        services.household_update(
            actor=officer,
            household=duplicate,
            version=duplicate.version,
            village=duplicate.village,
            head_name="Hoàng Văn An",
            members=4,
            is_active=True,
        )


def test_the_households_list_tags_a_merged_household_as_merged_not_left(households, personas, client_for):
    officer = personas["commune_officer"]
    survivor, duplicate = households["an"], households["an_capitals"]
    merging.household_merge(
        survivor=survivor,
        duplicates=[duplicate],
        actor=officer,
        reason="Trùng",
        versions={survivor.pk: survivor.version, duplicate.pk: duplicate.version},
    )
    page = client_for(officer).get(reverse("registry:households"), {"status": "all"}).content.decode()
    rows = {
        household.code: next(r for r in page.split("<tr>") if f">{household.code}</a>" in r)
        for household in households.values()
    }
    assert '<span class="tag">đã gộp</span>' in rows[duplicate.code]
    assert "đã chuyển đi" not in rows[duplicate.code]
    assert '<span class="tag">' not in rows[survivor.code]


@pytest.fixture
def clans(villages, personas):
    def make(name, villages_=("song_cau_1",)):
        return services.clan_save(
            actor=personas["commune_officer"],
            clan=None,
            commune=unit("2025", "01843"),
            name=name,
            head_name="",
            member_households=10,
            has_board=False,
            villages=[villages[v] for v in villages_],
        )

    return {"hoang": make("Họ Hoàng"), "hoang_plain": make("Ho Hoang", ("song_cau_2",)), "ly": make("Họ Lý")}


def test_clans_of_one_name_at_a_commune_are_found_and_merged_with_their_villages(clans, client_for, personas):
    client = client_for(personas["commune_officer"])
    assert reverse("registry:clan_duplicates") in client.get(reverse("registry:clans")).content.decode()
    page = client.get(reverse("registry:clan_duplicates")).content.decode()
    assert clans["hoang"].code in page and clans["hoang_plain"].code in page and clans["ly"].code not in page
    survivor, duplicate = clans["hoang"], clans["hoang_plain"]
    url = reverse("registry:clan_merge") + f"?code={survivor.code}&code={duplicate.code}"
    answer = client.post(
        url,
        {
            "keep": survivor.code,
            "merge": [duplicate.code],
            "reason": "Một dòng họ",
            f"version-{survivor.code}": survivor.version,
            f"version-{duplicate.code}": duplicate.version,
        },
    )
    assert answer.status_code == 302
    assert Clan.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    assert sorted(Clan.objects.get(pk=survivor.pk).villages.values_list("code", flat=True)) == [
        "01837-001",
        "01837-002",
    ]
    assert "đã được gộp vào" in client.get(reverse("registry:clan", args=[duplicate.code])).content.decode()
    assert duplicate.code not in client.get(reverse("registry:clans")).content.decode()


def test_the_merge_form_asks_again_when_nothing_is_ticked(clans, client_for, personas):
    client = client_for(personas["commune_officer"])
    survivor, duplicate = clans["hoang"], clans["hoang_plain"]
    url = reverse("registry:clan_merge") + f"?code={survivor.code}&code={duplicate.code}"
    page = client.post(url, {"keep": survivor.code, "merge": [survivor.code], "reason": "x"})
    assert page.status_code == 200 and "Hãy đánh dấu" in page.content.decode()
    assert not Clan.objects.exclude(merged_into=None).exists()
