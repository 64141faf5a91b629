"""The targets page of an area and a target year: each title's target and where it comes from, the
latest actual rate, the gap, and whether the trend reaches the target in time; the same for the
sub-areas, one title at a time; and, for those allowed, the form that sets or removes the area's
own targets through `stats.targets`."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from areas.models import AdministrativeUnit, Level, Tree, tree_for_year
from core.forms import add_service_errors
from core.parsing import parse_year, whole_number_or
from core.versions import StaleVersion, VersionField
from criteria.models import Title

from . import targets
from .access import get_area_for_user
from .models import COUNTED_TITLES, Target

TITLE_CHOICES = [(title, Title(title).label) for title in COUNTED_TITLES]


class TargetForm(forms.Form):
    title = forms.ChoiceField(label=gettext_lazy("Title"), choices=TITLE_CHOICES)
    year = forms.IntegerField(label=gettext_lazy("Target year"))
    percent = forms.DecimalField(
        label=gettext_lazy("Target (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2, localize=True
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The decision or plan that sets it."),
    )
    # The version of the target being changed; empty for a new one (a target someone else set
    # meanwhile is then not overwritten).
    version = VersionField()


def area_param(area) -> str:
    return f"{area.tree}/{area.code}" if area is not None else ""


def page_url(area, year: int, **extra) -> str:
    query = {"area": area_param(area), "year": year, **extra}
    return f"{reverse('stats:targets')}?{urlencode({k: v for k, v in query.items() if v})}"


def _year(value, default: int) -> int:
    if not value:
        return default
    try:
        return parse_year(value)
    except ValidationError as error:
        raise BadRequest(" ".join(error.messages)) from error


def _children(user, area, tree: str):
    visible = AdministrativeUnit.objects.visible_to(user)
    if area is None:
        return list(visible.filter(tree=tree, level=Level.PROVINCE))
    return list(visible.filter(parent=area))


def _breadcrumbs(user, area) -> list:
    if area is None:
        return []
    ancestors = area.ancestors()
    visible_units = AdministrativeUnit.objects.visible_to(user).filter(pk__in=[a.pk for a in ancestors])
    visible = set(visible_units.values_list("pk", flat=True))
    return [(ancestor, ancestor.pk in visible) for ancestor in ancestors]


def _editing(request, area) -> Target | None:
    """The area's own target the form changes (`?edit=`), as stored now; None for a new one."""
    pk = whole_number_or(request.GET.get("edit", ""), min_value=1)
    if area is None or pk is None:
        return None
    return Target.objects.filter(pk=pk, area=area).first()


def _initial(target: Target | None) -> dict | None:
    if target is None:
        return None
    return {
        "title": target.title,
        "year": target.year,
        "percent": target.percent,
        "source": target.source,
        "version": target.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def targets_page(request):
    area = get_area_for_user(request.user, request.GET.get("area"))
    today_year = timezone.localdate().year
    years = targets.target_years(area)
    target_year = _year(request.GET.get("year"), targets.next_target_year(years, today_year))
    tree = area.tree if area is not None else request.GET.get("tree") or tree_for_year(target_year)
    if tree not in Tree.values:
        raise Http404
    child_title = request.GET.get("title") or COUNTED_TITLES[0]
    if child_title not in COUNTED_TITLES:
        raise Http404

    can_set = targets.may_set_targets(request.user, area)
    if request.method == "POST" and not can_set:
        raise PermissionDenied
    form = editing = None
    if can_set:
        editing = _editing(request, area)
        form = TargetForm(request.POST or None, initial=_initial(editing) or {"year": target_year})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                saved = targets.target_save(actor=request.user, area=area, **data)
            except StaleVersion as error:
                # Nothing was saved: the form is shown again with the target as someone else saved it.
                messages.error(request, error.messages[0])
                current = Target.objects.filter(area=area, title=data["title"], year=data["year"]).first()
                return redirect(page_url(area, data["year"], edit=current.pk if current else ""))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The target was saved."))
                return redirect(page_url(area, saved.year))

    children = _children(request.user, area, tree)
    wanted = {area: COUNTED_TITLES, **{child: [child_title] for child in children}}
    found = targets.progress_of_areas(wanted, target_year, tree, today_year=today_year)
    area_key = area.pk if area is not None else None
    context = {
        "area": area,
        "area_param": area_param(area),
        "tree": tree,
        "trees": Tree.choices,
        "breadcrumbs": _breadcrumbs(request.user, area),
        "target_year": target_year,
        "years": sorted({*years, target_year}),
        "trend_years": settings.KHUYENHOC_TREND_YEARS,
        "rows": [(label, found[(area_key, title)]) for title, label in TITLE_CHOICES],
        "child_title": child_title,
        "title_choices": TITLE_CHOICES,
        "child_rows": [(child, area_param(child), found[(child.pk, child_title)]) for child in children],
        "own_targets": sorted(
            Target.objects.filter(area=area) if area is not None else [],
            key=lambda t: (-t.year, COUNTED_TITLES.index(t.title)),
        ),
        "can_set": can_set,
        "form": form,
        "editing": editing,
    }
    return render(request, "stats/targets.html", context)


@login_required
@require_POST
def target_delete(request, pk):
    target = (
        Target.objects.filter(pk=pk, area__in=AdministrativeUnit.objects.visible_to(request.user))
        .select_related("area")
        .first()
    )
    if target is None:
        raise Http404
    try:
        targets.target_delete(actor=request.user, target=target, version=request.POST.get("version"))
    except StaleVersion as error:
        # Nothing was removed: the page shows the target as someone else saved it.
        messages.error(request, error.messages[0])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The target was removed: the national one applies again."))
    return redirect(page_url(target.area, target.year))
