from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .scope import scope_for

        return scope_for(user).filter_accounts(self)


class KhuyenhocUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account belongs to one area (a unit, or a village for village officers) and has one role."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("administrative unit"),
    )
    village = models.ForeignKey(
        "areas.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("village"),
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    created_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )

    objects = KhuyenhocUserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def area_scope(self):
        """What this account sees (computed once per request): see `accounts.scope`."""
        from .scope import scope_for

        return scope_for(self)

    @property
    def area_label(self):
        if self.village_id:
            return str(self.village)
        if self.unit_id:
            return str(self.unit)
        return ""


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own tokens and those of the accounts they manage."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(user=user) | models.Q(user__in=User.objects.visible_to(user)))

    def active(self):
        """Tokens not revoked (an expired one is still listed, with its state)."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key for the API. Only its SHA-256 is stored, with its first characters to tell it apart; the
    key itself is shown once, when it is issued. It expires after a number of days unused
    (`KHUYENHOC_TOKEN_IDLE_DAYS`) and dies with a password change or reset (`accounts.tokens`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}…"
