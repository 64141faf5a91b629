"""Which template made a document, as its page says it."""

from django import template
from django.utils.translation import gettext as _

from documents.template_models import KEY_PREFIX
from documents.template_services import template_of

register = template.Library()


@register.simple_tag
def template_made_with(document) -> str:
    key = document.template_version or ""
    if not key.startswith(f"{KEY_PREFIX}:"):
        return _("The shipped template")
    found = template_of(document)
    if found is None:
        return key
    return _("Template of %(province)s, version %(version)d") % {
        "province": found.province.name,
        "version": found.version,
    }
