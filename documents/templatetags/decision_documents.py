"""`{% decision_documents decision %}`: on a decision's page, the documents that can be made from it
(the decision in Word and PDF, the dossiers behind it, its certificates), each a button that asks for
it, and the latest ones already made that the user sees. The kinds are documents.kinds' own, so a new
kind made from a decision appears here without touching the decision's page."""

from django import template

from core.access import has_perm
from evaluations.models import DecisionStatus

from ..kinds import decision_kinds_for
from ..selectors import documents_for

register = template.Library()
RECENT = 5


def decision_document_choices(user, decision) -> list[dict]:
    """The kinds the user may ask for from this decision; a kind made only from a published decision
    is listed, not offered, while the decision is a draft."""
    choices = []
    for name, kind in decision_kinds_for(decision).items():
        if not has_perm(user, kind.perm):
            continue
        choices.append(
            {
                "kind": name,
                "label": kind.label,
                "ready": not kind.published_only or decision.status == DecisionStatus.PUBLISHED,
            }
        )
    return choices


@register.inclusion_tag("documents/_decision_documents.html", takes_context=True)
def decision_documents(context, decision):
    user = context["request"].user
    return {
        "decision": decision,
        "choices": decision_document_choices(user, decision),
        "recent": list(documents_for(user).filter(decision=decision)[:RECENT]),
        "csrf_token": context.get("csrf_token"),
    }
