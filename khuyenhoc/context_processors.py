from django.utils.module_loading import import_string

from accounts.roles import Perm
from core.access import has_perm
from imports.kinds import IMPORTERS


def permissions(request):
    """The role table's answers for the menu, so templates never test role names; `import_files`:
    whether any kind of import is open to the user (the imports page lists only those)."""
    user = getattr(request, "user", None)
    can = {perm.name.lower(): has_perm(user, perm) for perm in Perm}
    can["import_files"] = any(has_perm(user, import_string(path).perm) for path, _label in IMPORTERS.values())
    return {"can": can}
