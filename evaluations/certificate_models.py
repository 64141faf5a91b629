"""A certificate handed out for one recognition of a published decision, and the code that lets anyone
check it. The code is random (`secrets.token_urlsafe`), never a sequence, so that holding one
certificate tells nothing about the others; it is made once, when the first batch is printed, and a
re-print prints the same code and the same name, so that the paper and the public check always agree.

Registered with the app from evaluations/models.py."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# token_urlsafe(16): 128 random bits, 22 characters of A–Z a–z 0–9 - _.
TOKEN_BYTES = 16
TOKEN_MAX_LENGTH = 43


class Certificate(models.Model):
    decision = models.ForeignKey(
        "evaluations.RecognitionDecision",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("decision"),
        db_index=False,
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("evaluation")
    )
    token = models.CharField(_("check code"), max_length=TOKEN_MAX_LENGTH, unique=True, editable=False)
    name = models.CharField(_("name as printed"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "evaluation"], name="certificate_one_per_recognition"),
        ]

    def __str__(self):
        return f"{self.name} ({self.decision_id})"
