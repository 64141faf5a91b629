"""Links to units only where they open: an old province's officer sees the new province it went
into by name, but may not open it (it holds other provinces' data), so no link that answers 404."""

from django import template

from areas.models import AdministrativeUnit

register = template.Library()


@register.filter
def opens_for(unit, user) -> bool:
    return AdministrativeUnit.objects.visible_to(user).filter(pk=unit.pk).exists()
