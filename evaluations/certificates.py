"""Certificates of a published decision: one per recognised subject, each with its random check code
and the name printed on it (see certificate_models.py).

`certificates_issue` makes the missing ones when a batch is printed and returns the whole batch in
print order; a second batch prints the same codes and names. `certificate_for_token` is the public
check's only way in: a code, never an id or a list."""

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from criteria.models import Title

from .certificate_models import TOKEN_BYTES, TOKEN_MAX_LENGTH, Certificate
from .models import SUBJECT_FIELD, DecisionStatus, Evaluation, RecognitionDecision

# The longest name a certificate prints: the layout shrinks a long name step by step (see
# documents/certificates.py) and fits this many characters, on two lines at the smallest size.
NAME_MAX_CHARS = 120
SHOWN_PROBLEMS = 5


def printed_name(evaluation: Evaluation) -> str:
    """The name the certificate prints: the head of a household (after “Gia đình ông (bà)”), a person's
    full name, and the registered name of a clan, village, unit or commune."""
    subject = evaluation.subject
    if evaluation.title == Title.HOUSEHOLD:
        return subject.head_name.strip()
    if evaluation.title == Title.CITIZEN:
        return subject.full_name.strip()
    return subject.name.strip()


def decision_number(number: str) -> str:
    """As written after “Quyết định số” (“No.”): a number stored as “Số 12/QĐ-UBND” loses its own “Số”."""
    return re.sub(r"^\s*số[:.]?\s*", "", number, flags=re.IGNORECASE)


def subject_code(evaluation: Evaluation) -> str:
    return evaluation.subject.code


def refuse_unprintable(decision: RecognitionDecision) -> None:
    """Certificates only from a published decision; a revoked one prints none."""
    if decision.status == DecisionStatus.REVOKED:
        raise ValidationError(
            _("Decision %(number)s has been revoked: its certificates can no longer be printed.")
            % {"number": decision.number},
            code="revoked",
        )
    if decision.status != DecisionStatus.PUBLISHED:
        raise ValidationError(
            _("Decision %(number)s is not published yet: certificates are printed only from a published decision.")
            % {"number": decision.number},
            code="unpublished",
        )


def _recognised(decision: RecognitionDecision):
    related = ["area", *SUBJECT_FIELD.values(), "household__village", "citizen__village"]
    return decision.evaluations.select_related(*related).order_by("area__path", "id")


def check_names(decision: RecognitionDecision) -> None:
    """Every name still to be printed fits the certificate: the error names each subject that does not."""
    printed = set(Certificate.objects.filter(decision=decision).values_list("evaluation_id", flat=True))
    problems = []
    for evaluation in _recognised(decision):
        if evaluation.pk in printed:
            continue
        name = printed_name(evaluation)
        if len(name) > NAME_MAX_CHARS:
            problems.append(
                _(
                    "The name of %(subject)s (code %(code)s) has %(length)d characters; a certificate prints at "
                    "most %(max)d. Shorten it in the record, then print again."
                )
                % {
                    "subject": f"“{name[:40]}…”",
                    "code": subject_code(evaluation),
                    "length": len(name),
                    "max": NAME_MAX_CHARS,
                }
            )
    if problems:
        # One message (the API keys its errors by code): the first few subjects, then how many more.
        shown = problems[:SHOWN_PROBLEMS]
        if len(problems) > SHOWN_PROBLEMS:
            shown.append(_("…and %(count)d more.") % {"count": len(problems) - SHOWN_PROBLEMS})
        raise ValidationError(" ".join(shown), code="name_too_long")


def check_printable(decision: RecognitionDecision) -> None:
    refuse_unprintable(decision)
    check_names(decision)


@transaction.atomic
def certificates_issue(*, decision: RecognitionDecision, actor=None) -> list[Certificate]:
    """The decision's certificates in print order (by area, then as the decision lists them), making
    those not yet issued. Refused for a decision that is not published, or with a name too long."""
    decision = RecognitionDecision.objects.select_for_update().select_related("issuing_area").get(pk=decision.pk)
    check_printable(decision)
    evaluations = list(_recognised(decision))
    existing = {c.evaluation_id: c for c in Certificate.objects.filter(decision=decision)}
    new = [
        Certificate(decision=decision, evaluation=e, token=new_token(), name=printed_name(e))
        for e in evaluations
        if e.pk not in existing
    ]
    if new:
        try:
            with transaction.atomic():
                Certificate.objects.bulk_create(new, batch_size=500)
        except IntegrityError as error:  # a token drawn twice: 2^-128, but never a 500 or a duplicate
            raise ValidationError(_("The certificates could not be issued; print them again.")) from error
        audit_record(
            actor=actor,
            action="certificate.issue",
            obj=decision,
            after={"issued": len(new), "total": len(evaluations)},
        )
        existing = {c.evaluation_id: c for c in Certificate.objects.filter(decision=decision)}
    batch = []
    for evaluation in evaluations:
        certificate = existing[evaluation.pk]
        certificate.evaluation = evaluation  # already read, with its subject and areas
        certificate.decision = decision
        batch.append(certificate)
    return batch


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def certificate_for_token(token: str) -> Certificate | None:
    """The certificate with this check code, or None (the same answer for a malformed code)."""
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        Certificate.objects.select_related("decision", "decision__issuing_area", "evaluation")
        .filter(token=token)
        .first()
    )
