"""Demo accounts, one per persona, with a shared password printed by `make demo`."""

from django.db import transaction

from areas.models import AdministrativeUnit, Tree, Village

from .models import User
from .roles import Role

DEMO_PASSWORD = "khuyenhoc-demo"

# username, full name, role, (tree, unit code) or village code
DEMO_ACCOUNTS = [
    ("tinh.thainguyen", "Nguyễn Thị Lan", Role.PROVINCE_OFFICER, (Tree.Y2025, "19")),
    ("tinh.backan", "Hoàng Văn Minh", Role.PROVINCE_OFFICER, (Tree.PRE_2025, "06")),
    ("huyen.chodon", "Lường Văn Hải", Role.DISTRICT_OFFICER, (Tree.PRE_2025, "064")),
    ("xa.backan", "Triệu Thị Hoa", Role.COMMUNE_OFFICER, (Tree.Y2025, "01843")),
    ("xa.ducxuan", "Nông Văn Dũng", Role.COMMUNE_OFFICER, (Tree.PRE_2025, "01840")),
    ("thon.ducxuan1", "Ma Thị Thu", Role.VILLAGE_OFFICER, "01840-001"),
    ("xem.thainguyen", "Đặng Quốc Việt", Role.VIEWER, (Tree.Y2025, "19")),
]


def ensure_demo_admin() -> User:
    admin, _ = User.objects.get_or_create(
        username="admin", defaults={"full_name": "Quản trị hệ thống", "role": Role.SYSTEM_ADMIN}
    )
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    return admin


@transaction.atomic
def build_demo_accounts(admin: User) -> None:
    for username, full_name, role, area in DEMO_ACCOUNTS:
        unit = village = None
        if isinstance(area, tuple):
            unit = AdministrativeUnit.objects.get(tree=area[0], code=area[1])
        else:
            village = Village.objects.get(code=area)
        account, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "unit": unit,
                "village": village,
                "created_by": admin,
                "must_change_password": False,
                "is_active": True,
            },
        )
        account.set_password(DEMO_PASSWORD)
        account.save()


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, role, area) of the demo accounts that exist."""
    usernames = ["admin"] + [row[0] for row in DEMO_ACCOUNTS]
    accounts = User.objects.filter(username__in=usernames).select_related("unit", "village")
    order = {name: i for i, name in enumerate(usernames)}
    return [
        (a.username, str(a.get_role_display()), a.area_label) for a in sorted(accounts, key=lambda a: order[a.username])
    ]
