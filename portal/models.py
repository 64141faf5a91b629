"""What the public portal may show beyond accepted reports and published decisions: the area-years a
province has published, and the licence under which a province's open data is given."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_LICENCE = "CC BY 4.0"


class PublishedAreaYear(models.Model):
    """ "Publish this area's figures for this year": the area's figures and those of the areas under it
    are shown on the portal for the year. Revoking deletes the row; both are in the audit log."""

    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("published area-year")
        verbose_name_plural = _("published area-years")
        ordering = ["-year", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="published_area_year_unique")]

    def __str__(self):
        return f"{self.unit} {self.year}"


class OpenDataLicence(models.Model):
    """The licence a province gives its open data under; a province that set none gives CC BY 4.0."""

    province = models.OneToOneField(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    licence = models.CharField(_("licence"), max_length=120)

    def __str__(self):
        return f"{self.province}: {self.licence}"
