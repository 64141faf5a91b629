"""Every answer carries the content security policy; nothing a logged-in user or an API client sees is
cached; the templates hold no inline script, so the policy breaks no page (issue 16: safe output)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loaders.app_directories import get_app_template_dirs
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_a_page_may_load_only_from_the_site_and_runs_no_inline_script(client):
    directives = policy(client.get(reverse("accounts:login")))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    for directive in ("style-src-elem", "img-src", "font-src", "connect-src", "form-action"):
        assert directives[directive] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"


@pytest.mark.parametrize(
    "url",
    ["/areas/", "/registry/households/", "/statistics/?area=2025:01843&year=2025", "/api/v1/households/"],
)
def test_every_answer_to_a_logged_in_user_has_the_policy_and_is_not_stored(client_for, personas, url):
    response = client_for(personas["commune_officer"]).get(url, follow=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert policy(response)["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_downloads_are_not_stored(client_for, personas, file_format):
    response = client_for(personas["commune_officer"]).get(reverse("registry:household_export", args=[file_format]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_api_answers_to_a_token_are_not_stored(client, personas):
    token = client.post("/api/v1/auth/token/", {"username": "c.backan", "password": PASSWORD}).json()["token"]
    client.cookies.clear()
    for url in ("/api/v1/households/", "/api/v1/statistics/figures/?area=2025:01843&year=2025&format=csv"):
        response = client.get(url, HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"


def test_a_refused_token_is_not_stored_either(client):
    response = client.get("/api/v1/households/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_anonymous_login_page_keeps_its_own_caching(client):
    # Django's login page says itself that it is not to be cached (it holds a CSRF token).
    assert "no-store" in client.get(reverse("accounts:login")).headers["Cache-Control"]


# The project's own templates (its folder and every app's), not the installed packages'.
TEMPLATE_DIRS = {
    Path(folder)
    for folder in [*settings.TEMPLATES[0]["DIRS"], *get_app_template_dirs("templates")]
    if Path(folder).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(folder).parts
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def templates():
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))


def test_the_project_has_templates_to_check():
    assert any(path.name == "base.html" for path in templates())
    assert len(templates()) > 20


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_template_has_inline_script_the_policy_would_block(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not EVENT_ATTRIBUTE.search(text), "an on…= attribute: listen from a static script instead"
    assert not SCRIPT_URL.search(text)
    # A template under a pdf/ folder is drawn into a PDF by the server (WeasyPrint), never sent to a
    # browser: its page rules (@page, sizes in cm) stay beside it.
    if "pdf" not in path.relative_to(settings.BASE_DIR).parts:
        assert "<style" not in text.lower(), "a <style> element: put the rules in site.css"
