"""What several journeys share: the browser they run in, the world of an officer of Phường Bắc Kạn,
signing in, and how far a page scrolls sideways."""

import os

from django.conf import settings

from accounts.models import User
from accounts.roles import Role
from areas import services
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree

CHROMIUM = os.environ.get("KHUYENHOC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"]
SCREENS = {"phone": {"width": 390, "height": 844}, "office": {"width": 1366, "height": 768}}


def village_moved_into_backan():
    """The units loaded, and Tổ dân phố Sông Cầu 1 made in Phường Sông Cầu (before the reform) then moved
    into Phường Bắc Kạn at the reform: (the system administrator who made it, the village). A journey's
    database is emptied when it ends, so each journey builds this again."""
    load_administrative_units()
    admin = User.objects.create_user("admin", password="x", role=Role.SYSTEM_ADMIN)
    village = services.village_create(
        actor=admin,
        commune=AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="01837"),
        name="Tổ dân phố Sông Cầu 1",
        kind="residential_group",
        from_year=2016,
    )
    services.villages_move(
        actor=admin,
        villages=[village],
        commune=AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843"),
        from_year=settings.KHUYENHOC_REFORM_YEAR,
    )
    return admin, village


def log_in(page, live_server, path: str, username: str, password: str) -> None:
    """Open `path` signed out, sign in on the login page it leads to, and wait to be brought back to it.

    The wait is for the whole address the sign-in redirects to: a pattern ending in `path` would already
    match the login page (/accounts/login/?next=<path>), return before the sign-in's navigation began,
    and let the journey's next step interrupt it."""
    page.goto(f"{live_server.url}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{path}")


def sideways_overflow(page) -> int:
    """How many pixels the page scrolls sideways: how much wider the document is than the window's
    content box (clientWidth, so that a vertical scrollbar does not count); 0 when it fits.

    It first waits for the page to be loaded, so that a measurement never lands in a document that is
    still being replaced. That does not wait for a navigation that has not started yet: after a click
    that leads to another page, wait for what that page shows (its address or an element) first."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
