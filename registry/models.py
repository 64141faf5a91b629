"""The records every later figure counts. Households first; clans, units and the network follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import Village

        return self.filter(village__in=Village.objects.visible_to(user))


class Household(models.Model):
    """A household of a village. Its code is issued by the system and never changes: re-imports
    match on it, so a file exported last year updates the same households this year."""

    code = models.CharField(_("household code"), max_length=24, unique=True)
    village = models.ForeignKey(
        "areas.Village", on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    head_name = models.CharField(_("head of household"), max_length=120)
    members = models.PositiveSmallIntegerField(_("number of members"))
    is_active = models.BooleanField(_("still living here"), default=True)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__code", "sort_key", "code"]

    def __str__(self):
        return f"{self.head_name} ({self.code})"


class HouseholdNumbering(models.Model):
    """The last household number issued in a village, so that codes are issued without scanning
    households (a national table holds 27 million) and never reused."""

    village = models.OneToOneField("areas.Village", on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.village_id}: {self.last_number}"
