"""The version of the data as a whole: the newest audit entry. Every change of a record, a figure entered,
a publication, a revocation, an import and a rebuild of a year's figures writes one, so nothing a page
shows can change without it; pages that keep what they drew (the portal, the dashboards) key it by this."""

from .models import AuditEntry


def data_version() -> tuple[int, object]:
    """The newest audit entry's id and time: (0, None) in an empty database."""
    newest = AuditEntry.objects.order_by("-pk").values_list("pk", "created_at").first()
    return newest or (0, None)
