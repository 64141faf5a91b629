"""What the API tests share: a client acting as a persona, and how to read an expected status."""

from rest_framework.test import APIClient

ANONYMOUS = (401, 403)  # DRF answers 401 or 403 to an anonymous caller, depending on the authenticators


def api_for(account):
    api = APIClient()
    if account is not None:
        api.force_authenticate(account)
    return api


def statuses(expected):
    return expected if isinstance(expected, tuple) else (expected,)
