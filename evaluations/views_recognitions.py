"""A subject's evaluations and recognitions by year: a fragment the subject's own page (a household,
clan, unit, village or commune page, in lower layers) loads with htmx, or a page of its own when
opened directly (without scripts, or from a link)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from accounts.roles import Perm
from core.access import require_perm

from .recognitions import get_subject_for_user, recognitions_of
from .views import result_label

# The subject's own page, for the full page's way back (a title without a page of its own: none).
SUBJECT_PAGES = {
    "household": ("registry:household", lambda s: [s.code]),
    "clan": ("registry:clan", lambda s: [s.code]),
    "unit": ("registry:organisation", lambda s: [s.code]),
    "village": ("areas:village", lambda s: [s.code]),
    "commune": ("areas:unit", lambda s: [s.tree, s.code]),
}


def subject_page(title: str, subject) -> str:
    name, args = SUBJECT_PAGES.get(title, (None, None))
    if name is None:
        return ""
    try:
        return reverse(name, args=args(subject))
    except NoReverseMatch:
        return ""


@login_required
def subject_recognitions(request, title, code):
    subject = get_subject_for_user(request.user, title=title, code=code)
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    evaluations = recognitions_of(request.user, title=title, subject=subject)
    labels = {}
    rows = [(evaluation, result_label(evaluation, labels)) for evaluation in evaluations]
    context = {
        "subject": subject,
        "subject_url": subject_page(title, subject),
        "rows": rows,
        "recognised_years": sorted({e.year for e in evaluations if e.recognised}, reverse=True),
    }
    if request.headers.get("HX-Request"):
        return render(request, "evaluations/_subject_recognitions.html", context)
    return render(request, "evaluations/subject_recognitions.html", context)
