"""An account's unit and village are picked by name (issue 14): the form takes what the pickers send
(tree:code for a unit, a village's code) and a whole name typed without them, and says in Vietnamese
when the text names nothing."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def create(client, **data):
    payload = {"username": "", "full_name": "", "role": "", "tree": "pre2025", "unit_code": "", "village_code": ""}
    payload.update(data)
    return client.post(reverse("accounts:create"), payload)


def test_a_unit_picked_as_tree_and_code_wins_over_the_tree_field(client_for, personas):
    client = client_for(personas["province_officer"])
    create(client, username="xa.moi", role="commune_officer", unit_code="2025:01843")
    account = User.objects.get(username="xa.moi")
    assert (account.unit.tree, account.unit.code) == ("2025", "01843")


def test_a_village_typed_by_its_whole_name(client_for, personas, villages):
    client = client_for(personas["commune_officer"])
    create(client, username="thon.to2", role="village_officer", village_code="to dan pho 2")
    assert User.objects.get(username="thon.to2").village == villages["song_cau_2"]


def test_a_name_that_names_no_village_is_a_message_and_no_account(client_for, personas, villages):
    client = client_for(personas["commune_officer"])
    response = create(client, username="thon.x", role="village_officer", village_code="Bản Không Có")
    assert response.status_code == 200
    assert "Không tìm thấy thôn “Bản Không Có”" in response.content.decode()
    assert not User.objects.filter(username="thon.x").exists()
