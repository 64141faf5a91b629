"""Fetching one record for a user: the same two answers for every page and API route.

Permissions are Django's (`user.has_perm("app.codename")`), answered by the accounts app's role table
through its authentication backend; what a user may see is each queryset's `visible_to(user)`. Both
are reached through the user object, so the lower apps (the administrative tree) use them without
knowing how accounts and roles are made.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


def has_perm(user, perm: str) -> bool:
    """Whether `user` (possibly None, anonymous or inactive: then never) holds `perm`."""
    return user is not None and user.is_authenticated and user.has_perm(perm)


def require_perm(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def get_visible_or_404(queryset, *, user, perm: str | None, **lookup):
    """The one way a view or API route fetches a record: 404 outside the user's scope (we do not
    confirm that it exists), then 403 if the user's role lacks `perm`. A key that no record could hold
    (a form's hidden id changed to "x" or 1.5, a number past the database's integers) is not found
    either, rather than an error page."""
    try:
        record = queryset.visible_to(user).filter(**lookup).first()
    except (ValueError, ValidationError, OverflowError):
        raise Http404 from None
    if record is None:
        raise Http404
    if perm is not None:
        require_perm(user, perm)
    return record
