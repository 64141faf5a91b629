"""A province's own Word template for one kind of document, kept in every version: a document records
the version that made it (`Document.template_version` holds `key`), so an old file stays explained after
the province uploads a new template. At most one version per province and kind is in use; none in use:
the shipped template."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import kind_label

KEY_PREFIX = "province"


class DocumentTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Templates of the provinces the user sees (managing them takes the permission too)."""
        from areas.models import AdministrativeUnit

        if not user.is_authenticated:
            return self.none()
        return self.filter(province__in=AdministrativeUnit.objects.visible_to(user))


class DocumentTemplate(models.Model):
    province = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="documents/templates/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    checksum = models.CharField(max_length=64)
    fields_used = models.JSONField(default=list)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["province", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "version"], name="template_version_unique"),
            models.UniqueConstraint(
                fields=["province", "kind"], condition=Q(is_active=True), name="template_one_active_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.kind} v{self.version}"

    @property
    def key(self) -> str:
        """What a document records: “province:2025:19:review:3”."""
        return f"{KEY_PREFIX}:{self.province.tree}:{self.province.code}:{self.kind}:{self.version}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def parse_key(key: str) -> dict | None:
    """The lookup of the template a document's `template_version` names, None for the shipped one."""
    parts = (key or "").split(":")
    if len(parts) != 5 or parts[0] != KEY_PREFIX or not parts[4].isdigit():
        return None
    return {"province__tree": parts[1], "province__code": parts[2], "kind": parts[3], "version": int(parts[4])}
