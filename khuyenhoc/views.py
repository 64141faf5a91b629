"""The home page: where every user lands after logging in, and the site's root."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .home import home_for


@login_required
@require_safe
def home(request):
    return render(request, "khuyenhoc/home.html", {"home": home_for(request.user)})
