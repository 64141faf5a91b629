"""The registration form's picker asks here for the records of a title whose name holds what was typed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import Perm
from core.access import require_perm

from .subjects import subject_options


@login_required
def subject_search(request):
    require_perm(request.user, Perm.EVALUATE)
    query = request.GET.get("q", "")
    options = subject_options(request.user, request.GET.get("title", ""), query)
    return render(request, "areas/_picker_options.html", {"query": query, "kind": "subject", "options": options})
