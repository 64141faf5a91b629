"""How the history words an account's entries (see audit.wording): its API tokens are written on it."""

from django.utils.translation import gettext_lazy

from audit.wording import describe_records, field_key

from .models import ApiToken


def describe() -> None:
    describe_records(
        "accounts.user",
        keys={
            "token": field_key(ApiToken, "prefix", label=gettext_lazy("API token")),
            "name": field_key(ApiToken, "name", label=gettext_lazy("token name")),
        },
    )
