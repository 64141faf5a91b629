"""What several journeys share: the world of an officer of Phường Bắc Kạn, and signing in."""

from django.conf import settings

from accounts.models import User
from accounts.roles import Role
from areas import services
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree


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
    """Open `path` signed out, sign in on the login page it leads to, and wait to be brought back to it."""
    page.goto(f"{live_server.url}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{path}")
