"""A database too busy to take a write in time (SQLite's lock past its timeout; PostgreSQL's lock not
available, a deadlock) answers 503 “Hệ thống đang bận, vui lòng thử lại sau giây lát” — a page with a
way back, or the API's JSON, in the user's language — never a 500. Here views of this module meet the
error; a real lock on a real SQLite file is imports/tests/test_busy_database.py."""

import psycopg
import pytest
from django.core.signals import got_request_exception
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory
from django.urls import path

from khuyenhoc.middleware import DatabaseBusyMiddleware, database_busy
from khuyenhoc.urls import urlpatterns as site_urlpatterns

BUSY_VI = "Hệ thống đang bận, vui lòng thử lại sau giây lát."
BUSY_EN = "The system is busy, please try again in a moment."


def locked_save(request):
    raise OperationalError("database is locked")


def broken_save(request):
    raise OperationalError("no such table: accounts_user")


urlpatterns = [
    path("save-while-busy/", locked_save),
    path("api/v1/save-while-busy/", locked_save),
    path("save-broken/", broken_save),
    *site_urlpatterns,
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def test_a_page_whose_save_meets_a_locked_database_says_the_system_is_busy_with_a_way_back(client_for, personas):
    client = client_for(personas["commune_officer"])
    response = client.post("/save-while-busy/", HTTP_REFERER="http://testserver/registry/households/new/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert BUSY_VI in page
    assert 'href="http://testserver/registry/households/new/"' in page  # back to the form it came from
    assert response["Cache-Control"] == "private, no-store"


def test_the_way_back_never_leads_to_another_site(client_for, personas):
    client = client_for(personas["commune_officer"])
    page = client.post("/save-while-busy/", HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "evil.example" not in page


def test_in_english_for_a_user_who_chose_english(client_for, personas):
    client = client_for(personas["commune_officer"])
    client.cookies["django_language"] = "en"
    assert BUSY_EN in client.post("/save-while-busy/").content.decode()


def test_the_api_answers_json_503_in_the_users_language(client_for, personas):
    client = client_for(personas["commune_officer"])
    response = client.post("/api/v1/save-while-busy/")
    assert (response.status_code, response.json()) == (503, {"detail": BUSY_VI})
    assert response["Retry-After"] == "5"
    client.cookies["django_language"] = "en"
    assert client.post("/api/v1/save-while-busy/").json() == {"detail": BUSY_EN}


def test_a_busy_database_met_outside_the_view_is_answered_as_busy_too(personas):
    """The session saved after the view, say: Django has already made a 500 of it and told its signal."""

    def inner(request):
        try:
            raise OperationalError("database is locked")
        except OperationalError:
            got_request_exception.send(sender=None, request=request)
            return HttpResponseServerError("Server Error")

    request = RequestFactory().post("/registry/households/new/")
    request.user = personas["commune_officer"]
    response = DatabaseBusyMiddleware(inner)(request)
    assert response.status_code == 503 and BUSY_VI in response.content.decode()

    untouched = DatabaseBusyMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))
    assert untouched.status_code == 200


def test_other_database_errors_are_not_called_busy(client_for, personas):
    assert database_busy(OperationalError("database is locked"))
    assert database_busy(OperationalError("database table is locked"))
    deadlock = OperationalError("deadlock detected")
    deadlock.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    assert database_busy(deadlock)
    assert not database_busy(OperationalError("no such table: accounts_user"))
    assert not database_busy(ValueError("database is locked"))
    client = client_for(personas["commune_officer"])
    client.raise_request_exception = False
    assert client.post("/save-broken/").status_code == 500
