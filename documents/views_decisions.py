"""A document made from a recognition decision, asked for from the decision's page: the decision is
found within the user's scope (404 outside it), the request goes through the service (a draft for a
kind made only from a published decision, a decision recognising no one: a clear message on the
decision's page), and the user lands on the document's progress page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from evaluations.decisions import get_decision_for_user

from . import services


@login_required
def document_for_decision(request, pk):
    decision = get_decision_for_user(request.user, pk=pk)
    if request.method != "POST":
        return render(request, "documents/for_decision.html", {"decision": decision})
    try:
        document = services.document_request_for_decision(
            actor=request.user, kind=request.POST.get("kind", ""), decision=decision
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("documents:for_decision", pk=decision.pk)
    return redirect("documents:detail", pk=document.pk)
