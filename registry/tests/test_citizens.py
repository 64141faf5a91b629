"""Learning citizens: persons with issued codes, the same validators for the form, the services and the
import; seen only inside the scope of their village by those whose role may see persons; every list,
export and record opened is logged (Nghị định 13/2023/NĐ-CP)."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from registry import services
from registry.citizens import citizen_create, citizen_update, clean_birth_year, clean_sex
from registry.exports_citizens import CITIZEN_COLUMNS
from registry.models import Citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizens(villages, admin_user):
    household = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )
    return [
        citizen_create(
            actor=admin_user,
            village=villages["song_cau_1"],
            household=household,
            full_name="Hoàng Thị Mai",
            birth_year=1985,
            sex="Nữ",
        ),
        citizen_create(
            actor=admin_user, village=villages["song_cau_2"], full_name="Đinh Văn Sơn", birth_year=1979, sex="Nam"
        ),
        citizen_create(
            actor=admin_user, village=villages["ban_thi"], full_name="Lý Thị Hoa", birth_year=1990, sex="female"
        ),
    ]


def test_codes_are_the_village_code_and_a_number_of_their_own(citizens):
    assert [c.code for c in citizens] == ["01837-001-CD-0001", "01837-002-CD-0001", "02035-001-CD-0001"]
    assert [c.sex for c in citizens] == ["female", "male", "female"]


@pytest.mark.parametrize("value", ["", None, "năm", 1899, 3000, "19.5"])
def test_a_year_of_birth_is_a_year_that_has_come(value):
    with pytest.raises(ValidationError):
        clean_birth_year(value)


@pytest.mark.parametrize("value", ["", "x", None, "nam nữ"])
def test_sex_is_nam_or_nu(value):
    with pytest.raises(ValidationError):
        clean_sex(value)


def test_a_person_without_a_village_is_refused_and_nothing_saved(admin_user):
    with pytest.raises(ValidationError) as error:
        citizen_create(actor=admin_user, village=None, full_name="Ma Văn Tư", birth_year=1980, sex="Nam")
    assert error.value.code == "required"
    assert not Citizen.objects.exists()


def test_a_household_of_another_village_is_refused(citizens, admin_user, villages):
    with pytest.raises(ValidationError) as error:
        citizen_create(
            actor=admin_user,
            village=villages["ban_thi"],
            household=citizens[0].household,
            full_name="Lý Văn Tám",
            birth_year=1970,
            sex="Nam",
        )
    assert error.value.code == "household_village"


def test_a_village_outside_the_scope_is_refused(personas, villages):
    with pytest.raises(ValidationError) as error:
        citizen_create(
            actor=personas["village_officer"], village=villages["ban_thi"], full_name="A", birth_year=1980, sex="Nam"
        )
    assert error.value.code == "scope"


def test_an_edit_records_before_and_after_and_refuses_a_stale_version(citizens, admin_user):
    citizen = citizens[1]
    arguments = {
        "village": citizen.village,
        "household": None,
        "full_name": "Đinh Văn Sơn",
        "birth_year": 1978,
        "sex": "male",
        "target_group": None,
        "is_active": True,
    }
    citizen_update(actor=admin_user, citizen=citizen, version=1, **arguments)
    entry = AuditEntry.objects.filter(action="citizen.update", object_id=str(citizen.pk)).get()
    assert (entry.before["birth_year"], entry.after["birth_year"]) == (1979, 1978)
    with pytest.raises(ValidationError):
        citizen_update(actor=admin_user, citizen=citizen, version=1, **{**arguments, "birth_year": 1977})
    citizen.refresh_from_db()
    assert (citizen.birth_year, citizen.version) == (1978, 2)


# Who sees persons ------------------------------------------------------------------------------------

# persona → (list status, codes listed, own person's page, other commune's person's page)
SEEN = {
    "province_officer": (200, {"01837-001-CD-0001", "01837-002-CD-0001", "02035-001-CD-0001"}, 200, 200),
    "district_officer": (200, {"02035-001-CD-0001"}, 404, 200),
    "commune_officer": (200, {"01837-001-CD-0001", "01837-002-CD-0001"}, 200, 404),
    "other_commune_officer": (200, set(), 404, 404),
    "village_officer": (200, {"01837-001-CD-0001"}, 200, 404),
    "viewer": (403, None, 403, 403),
}


@pytest.mark.parametrize("persona", list(SEEN))
def test_persons_are_seen_in_scope_by_officers_only(persona, personas, citizens, client_for):
    status, codes, own, other = SEEN[persona]
    client = client_for(personas[persona])
    response = client.get(reverse("registry:citizens"), {"status": "all"})
    assert response.status_code == status
    if codes is not None:
        assert {c.code for c in response.context["page"]} == codes
    assert client.get(reverse("registry:citizen", args=[citizens[0].code])).status_code == own
    assert client.get(reverse("registry:citizen", args=[citizens[2].code])).status_code == other
    export = client.get(reverse("registry:citizen_export", args=["csv"]), {"status": "all"})
    assert export.status_code == (200 if status == 200 else 403)
    if export.status_code == 200:
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
        assert rows[0] == CITIZEN_COLUMNS
        assert {row[0] for row in rows[1:]} == codes


def test_anonymous_users_are_sent_to_log_in(citizens, client_for):
    client = client_for(None)
    for url in (reverse("registry:citizens"), reverse("registry:citizen", args=[citizens[0].code])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_every_list_export_and_record_opened_is_logged(personas, citizens, client_for):
    officer = personas["commune_officer"]
    client = client_for(officer)
    client.get(reverse("registry:citizens"), {"village": "01837-001"})
    client.get(reverse("registry:citizen_export", args=["xlsx"]))
    client.get(reverse("registry:citizen", args=[citizens[0].code]))
    reads = AuditEntry.objects.filter(actor=officer, object_type="registry.citizen").order_by("pk")
    assert [(e.action, e.object_id) for e in reads] == [
        ("citizen.list", ""),
        ("citizen.export", ""),
        ("citizen.view", str(citizens[0].pk)),
    ]
    assert reads[0].after["village"] == "01837-001" and reads[0].after["shown"] == 1
    assert reads[1].after["rows"] == 2
    # Reads are not changes: the person's history shows the creation only.
    page = client.get(reverse("registry:citizen", args=[citizens[0].code]))
    assert [e.action for e in page.context["history"]] == ["citizen.create"]


def test_the_export_holds_the_persons_as_typed(personas, citizens, client_for):
    response = client_for(personas["province_officer"]).get(reverse("registry:citizen_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == CITIZEN_COLUMNS
    assert rows[1] == [
        "01837-001-CD-0001",
        "01837-001",
        "Tổ dân phố 1",
        "Hoàng Thị Mai",
        1985,
        "Nữ",
        "01837-001-0001",
        "",
        "Có",
    ]


def test_the_form_adds_a_person_with_the_same_rules(personas, villages, client_for):
    client = client_for(personas["village_officer"])
    page = client.get(reverse("registry:citizen_create"))
    assert page.status_code == 200 and "13/2023/NĐ-CP" in page.content.decode()
    bad = client.post(
        reverse("registry:citizen_create"),
        {"village": "01837-001", "full_name": "Ma Thị Lan", "birth_year": "1850", "sex": "female", "version": ""},
    )
    assert bad.status_code == 200 and "birth_year" in bad.context["form"].errors
    good = client.post(
        reverse("registry:citizen_create"),
        {"village": "01837-001", "full_name": "Ma Thị Lan", "birth_year": "1992", "sex": "female", "is_active": "on"},
    )
    assert good.status_code == 302
    assert Citizen.objects.get().full_name == "Ma Thị Lan"
    assert client_for(personas["viewer"]).get(reverse("registry:citizen_create")).status_code == 403
