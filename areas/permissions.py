"""The permissions the area pages check, by name. Which roles hold them is the accounts app's role
table (`accounts.roles`), which lists these same names."""


class AreaPerm:
    VIEW = "areas.view"
    MANAGE_VILLAGES = "areas.manage_villages"
    MANAGE_AREA_CLASSES = "areas.manage_area_classes"
    MANAGE_SHARES = "areas.manage_shares"
