"""Django's permission checks answered from the role table (`roles.py`), never from per-user or
per-group permission rows: `user.has_perm("registry.manage_households")` is true exactly when the
account's role has that permission."""

from django.contrib.auth.backends import ModelBackend

from .roles import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return frozenset()
        # The role's own set, not a copy: every page asks the menu's permissions, each one a lookup here.
        return ROLE_PERMISSIONS.get(user_obj.role, frozenset())

    def get_user_permissions(self, user_obj, obj=None):
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        return frozenset()

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))
