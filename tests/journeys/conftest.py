"""The fixtures every browser journey may ask for: the headless browser, and a commune officer of
Phường Bắc Kạn with a village moved into it at the reform."""

import os

import pytest
from django.db import connections

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
        # While Playwright's event loop runs in this thread, Django keeps its connections per context rather
        # than per thread (asgiref's thread-critical Local): the test's own ORM calls opened a connection
        # of their own, which pytest-django's teardown, outside the loop, does not see. Close it while it
        # is still visible, or it outlives the run and PostgreSQL refuses to drop the test database.
        connections.close_all()


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
