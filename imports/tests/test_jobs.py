"""The list of imports: each officer sees their own jobs and the kinds their role may import."""

import pytest
from django.urls import reverse

from imports.models import ImportJob

pytestmark = pytest.mark.django_db


def test_an_officer_lists_their_own_imports_only(client_for, personas, upload):
    _client, job = upload("households", b"\xff\xfe", name="ho-cua-toi.csv")
    upload("households", b"\xff\xfe", name="ho-xa-ben.csv", persona="other_commune_officer")
    page = client_for(personas["commune_officer"]).get(reverse("imports:list")).content.decode()
    assert "ho-cua-toi.csv" in page and "ho-xa-ben.csv" not in page
    assert reverse("imports:job", args=[job.pk]) in page
    assert reverse("imports:new", args=["clans"]) in page


def test_a_viewer_sees_no_kind_to_import_and_anonymous_must_log_in(client, client_for, personas):
    page = client_for(personas["viewer"]).get(reverse("imports:list")).content.decode()
    assert reverse("imports:new", args=["households"]) not in page
    assert client_for(None).get(reverse("imports:list")).status_code == 302
    assert ImportJob.objects.count() == 0
