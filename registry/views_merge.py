"""Duplicates merged: the pages where an officer finds households (or clans) that look the same and
merges them into the one they keep, after a preview of what moves."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Perm
from core.access import require_perm
from core.forms import add_service_errors
from core.text import nfc
from core.versions import parse_version

from . import merging
from .access import get_clan_for_user, get_household_for_user
from .models import Clan, Household


@dataclass(frozen=True)
class Kind:
    """What the two pages differ by for households and for clans."""

    model: type
    perm: str
    fetch: object
    groups: object
    candidates: object
    merge: object
    list_url: str
    duplicates_url: str
    merge_url: str
    detail_url: str
    tab: str


HOUSEHOLDS = Kind(
    Household,
    Perm.MANAGE_HOUSEHOLDS,
    get_household_for_user,
    merging.household_groups,
    merging.household_candidates,
    merging.household_merge,
    "registry:households",
    "registry:household_duplicates",
    "registry:household_merge",
    "registry:household",
    "households",
)
CLANS = Kind(
    Clan,
    Perm.MANAGE_REGISTRIES,
    get_clan_for_user,
    merging.clan_groups,
    merging.clan_candidates,
    merging.clan_merge,
    "registry:clans",
    "registry:clan_duplicates",
    "registry:clan_merge",
    "registry:clan",
    "clans",
)


def _duplicates(request, kind: Kind, **filters):
    require_perm(request.user, kind.perm)
    groups = kind.groups(request.user, **filters)
    page = Paginator(groups, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/duplicates.html",
        {"page": page, "groups": kind.candidates(request.user, list(page)), "kind": kind, **filters},
    )


@login_required
def household_duplicates(request):
    village = request.GET.get("village", "").strip()
    return _duplicates(request, HOUSEHOLDS, village=village)


@login_required
def clan_duplicates(request):
    return _duplicates(request, CLANS)


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=gettext_lazy("Keep"), widget=forms.RadioSelect)
    merge = forms.MultipleChoiceField(label=gettext_lazy("Merge into it"), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=gettext_lazy("Reason for the merge"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(record.code, str(record)) for record in records]
        self.fields["keep"].choices = choices
        self.fields["merge"].choices = choices

    def clean(self):
        data = super().clean()
        keep, merge = data.get("keep"), [code for code in data.get("merge", []) if code != data.get("keep")]
        if keep and not merge:
            raise ValidationError(_("Tick at least one record other than the one you keep."))
        data["merge"] = merge
        return data


def _merge_page(request, kind: Kind):
    """GET: the records named by `code` side by side, what each would bring; POST: the merge."""
    codes = list(dict.fromkeys(nfc(code) for code in request.GET.getlist("code") if code.strip()))
    require_perm(request.user, kind.perm)
    if len(codes) < 2:
        messages.error(request, _("Choose two or more records to merge."))
        return redirect(kind.duplicates_url)
    records = [kind.fetch(request.user, code=code, perm=kind.perm) for code in codes]
    by_code = {record.code: record for record in records}
    merged = [record for record in records if record.merged_into_id]
    form = MergeForm(
        request.POST or None,
        records=records,
        initial={"keep": records[0].code, "merge": [record.code for record in records[1:]]},
    )
    if request.method == "POST" and form.is_valid() and not merged:
        data = form.cleaned_data
        survivor = by_code[data["keep"]]
        duplicates = [by_code[code] for code in data["merge"]]
        versions = {record.pk: parse_version(request.POST.get(f"version-{record.code}")) for record in records}
        try:
            kind.merge(
                survivor=survivor, duplicates=duplicates, actor=request.user, reason=data["reason"], versions=versions
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s record(s) merged into %(record)s.") % {"count": len(duplicates), "record": survivor},
            )
            return redirect(kind.detail_url, code=survivor.code)
    preview = [(record, merging.moving(kind.model, [record])) for record in records]
    return render(request, "registry/merge.html", {"form": form, "preview": preview, "merged": merged, "kind": kind})


@login_required
def household_merge(request):
    return _merge_page(request, HOUSEHOLDS)


@login_required
def clan_merge(request):
    return _merge_page(request, CLANS)
