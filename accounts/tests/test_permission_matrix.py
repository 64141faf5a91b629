"""Who may open what: every persona against every kind of page.

404 means "outside your area" (we do not confirm that it exists), 403 "inside your area but
not for your role", 302 the login page for anonymous visitors.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERSONAS = [
    "province_officer",
    "old_province_officer",
    "district_officer",
    "other_district_officer",
    "commune_officer",
    "other_commune_officer",
    "village_officer",
    "viewer",
    "anonymous",
]

# page → expected status per persona, in the order of PERSONAS
MATRIX = {
    ("areas:unit", ("2025", "19")): [200, 404, 404, 404, 404, 404, 404, 200, 302],
    ("areas:unit", ("pre2025", "064")): [200, 200, 200, 404, 404, 404, 404, 200, 302],
    ("areas:unit", ("2025", "01843")): [200, 404, 404, 404, 200, 404, 200, 200, 302],
    # old Phường Sông Cầu: history of new Phường Bắc Kạn, seen by its commune officer
    ("areas:unit", ("pre2025", "01837")): [200, 200, 404, 404, 200, 404, 200, 200, 302],
    ("areas:village", ("01837-001",)): [200, 200, 404, 404, 200, 404, 200, 200, 302],
    ("areas:village", ("02035-001",)): [200, 200, 200, 404, 404, 404, 404, 200, 302],
    ("areas:village_edit", ("01837-001",)): [200, 200, 404, 404, 200, 404, 403, 403, 302],
    ("areas:village_create", ("2025", "01843")): [200, 404, 404, 404, 200, 404, 403, 403, 302],
    ("areas:villages_move", ("2025", "01843")): [200, 404, 404, 404, 200, 404, 403, 403, 302],
    ("areas:area_classes", ()): [200, 200, 200, 200, 200, 200, 200, 200, 302],
    ("accounts:list", ()): [200, 200, 200, 200, 200, 200, 403, 403, 302],
    ("accounts:create", ()): [200, 200, 200, 200, 200, 200, 403, 403, 302],
    ("registry:households", ()): [200, 200, 200, 200, 200, 200, 200, 200, 302],
    ("registry:household_create", ()): [200, 200, 200, 200, 200, 200, 200, 403, 302],
    ("registry:clans", ()): [200, 200, 200, 200, 200, 200, 200, 200, 302],
    ("registry:clan_create", ()): [200, 200, 200, 200, 200, 200, 403, 403, 302],
    ("registry:organisations", ()): [200, 200, 200, 200, 200, 200, 200, 200, 302],
    ("registry:organisation_create", ()): [200, 200, 200, 200, 200, 200, 403, 403, 302],
    ("imports:new", ("households",)): [200, 200, 200, 200, 200, 200, 200, 403, 302],
    ("imports:template", ("households",)): [200, 200, 200, 200, 200, 200, 200, 403, 302],
}

CASES = [
    pytest.param(name, args, persona, expected[i], id=f"{name}{'/'.join(args)}-{persona}")
    for (name, args), expected in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize("url_name, args, persona, expected", CASES)
def test_page_access(client_for, personas, url_name, args, persona, expected):
    response = client_for(personas[persona]).get(reverse(url_name, args=args))
    assert response.status_code == expected


ACCOUNT_EDIT = {  # editing the village officer's account
    "province_officer": 200,
    "old_province_officer": 200,
    "district_officer": 404,
    "other_district_officer": 404,
    "commune_officer": 200,
    "other_commune_officer": 404,
    "village_officer": 404,
    "viewer": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_account_edit_access(client_for, personas, persona):
    target = personas["village_officer"]
    response = client_for(personas[persona]).get(reverse("accounts:edit", args=[target.pk]))
    assert response.status_code == ACCOUNT_EDIT[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_refused_change_changes_nothing(client_for, personas, persona):
    from areas.models import Village

    response = client_for(personas[persona]).post(
        reverse("areas:village_edit", args=["01837-001"]), {"name": "Đổi tên", "kind": "village", "version": "1"}
    )
    renamed = Village.objects.get(code="01837-001").name == "Đổi tên"
    allowed = MATRIX[("areas:village_edit", ("01837-001",))][PERSONAS.index(persona)] == 200
    assert renamed == allowed
    assert response.status_code == (
        302
        if allowed or persona == "anonymous"
        else MATRIX[("areas:village_edit", ("01837-001",))][PERSONAS.index(persona)]
    )
