"""The bands of the dashboards' traffic light: data, not law.

A title's light compares the actual rate with the target that applies: the share of the target
reached (actual ÷ target × 100) falls in the band with the highest `from_share` it reaches. The rows
shipped by the migration are an illustration (`illustration`): no rule sets these thresholds, and the
page says so until someone who may changes them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Light(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("Near the target")
    RED = "red", _("Behind")


class LightBand(models.Model):
    light = models.CharField(_("light"), max_length=8, choices=Light.choices, unique=True)
    from_share = models.DecimalField(_("from (percentage of the target reached)"), max_digits=6, decimal_places=2)
    illustration = models.BooleanField(_("illustration"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-from_share"]
        verbose_name = _("traffic light band")
        verbose_name_plural = _("traffic light bands")

    def __str__(self):
        return f"{self.get_light_display()} ≥ {self.from_share}%"
