"""Printing an award decision: its text with the list of recipients (.docx) and, once published, its
certificates of merit (.pdf), made by the worker like every document and listed with them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from awards.decisions import get_award_decision_for_user

from .award_docs import document_request_for_award


@login_required
@require_POST
def award_print(request, pk):
    decision = get_award_decision_for_user(request.user, pk=pk)
    try:
        document = document_request_for_award(actor=request.user, kind=request.POST.get("kind", ""), decision=decision)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("awards:decision", pk=decision.pk)
    return redirect("documents:detail", pk=document.pk)
