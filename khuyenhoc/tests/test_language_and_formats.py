"""Vietnamese first, English on request; numbers and dates the Vietnamese way."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load humanize %}" + source).render(Context(context))


def test_the_default_language_is_vietnamese(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Xã hội học tập" in page


def test_english_can_be_chosen_and_sticks(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page and "Đăng nhập" not in page


def test_numbers_and_dates_in_vietnamese_format():
    with translation.override("vi"):
        assert render("{{ n|intcomma }}", n=155235) == "155.235"
        assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=datetime.date(2018, 11, 28)) == "28/11/2018"
        assert render("{{ d }}", d=datetime.date(2018, 11, 28)) == "28/11/2018"
        assert render("{{ x|floatformat:'1g' }}", x=71000.5) == "71.000,5"


def test_numbers_in_english_format():
    with translation.override("en"):
        assert render("{{ n|intcomma }}", n=155235) == "155,235"


def test_validation_messages_follow_the_language():
    from django.core.exceptions import ValidationError

    from areas.services import validate_village_name

    for language, expected in [("vi", "Hãy nhập tên thôn."), ("en", "Enter the village's name.")]:
        with translation.override(language), pytest.raises(ValidationError) as error:
            validate_village_name("   ")
        assert error.value.messages == [expected]


def test_an_english_browser_still_gets_vietnamese_until_the_user_chooses(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page
