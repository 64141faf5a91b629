"""The fixtures every browser journey may ask for: the headless browser, and a commune officer of
Phường Bắc Kạn with a village moved into it at the reform."""

import os

import pytest

from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit, Tree

from .helpers import CHROMIUM, CHROMIUM_ARGS, village_moved_into_backan


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install Debian's chromium package")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def commune_officer():
    """xa.backan (password mat-khau-xa-1), officer of Phường Bắc Kạn, in the world of
    helpers.village_moved_into_backan (the system administrator is "admin")."""
    village_moved_into_backan()
    return User.objects.create_user(
        "xa.backan",
        password="mat-khau-xa-1",
        role=Role.COMMUNE_OFFICER,
        unit=AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843"),
    )
