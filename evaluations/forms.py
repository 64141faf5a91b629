"""Forms of the evaluation pages. The services check every value again (ranges, states, scope); these
only turn what was typed into what they take. The records they offer or look up come from `selectors`."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.widgets import SEVERAL, Picker
from core.parsing import whole_number_or
from criteria.models import CriteriaSet, Title
from registry.network import clean_year

from .models import SUBJECT_FIELD
from .selectors import complete_set_choices, find_subject
from .subjects import subjects_named

TITLE_CHOICES = [(value, label) for value, label in Title.choices if value in SUBJECT_FIELD]


def set_label(criteria_set: CriteriaSet) -> str:
    years = f"{criteria_set.valid_from}–{criteria_set.valid_to or ''}"
    illustration = " · minh hoạ" if criteria_set.is_illustration else ""
    return f"{criteria_set} · {criteria_set.get_title_display()} · {years}{illustration}"


class RegisterForm(forms.Form):
    title = forms.ChoiceField(label=_("Title"), choices=TITLE_CHOICES)
    year = forms.IntegerField(label=_("Year evaluated"))
    code = forms.CharField(
        label=_("Evaluated"),
        max_length=200,
        widget=Picker(
            "subject",
            url_name="evaluations:subject_search",
            params=("title",),
            placeholder=_("Type part of the name and pick from the list"),
        ),
        help_text=_("The household (by its head's name), clan, village, unit or commune of your area."),
    )
    criteria_set = forms.ModelChoiceField(
        label=_("Criteria set"),
        queryset=CriteriaSet.objects.none(),
        required=False,
        empty_label=_("The newest complete set of the title for the year"),
        error_messages={"invalid_choice": _("This set is not a complete set of the title for the year.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        title = self.data.get("title") or self.initial.get("title")
        year = str(self.data.get("year") or self.initial.get("year") or "")
        field = self.fields["criteria_set"]
        field.queryset = complete_set_choices(
            title=title if title in SUBJECT_FIELD else None, year=whole_number_or(year), user=user
        )
        field.label_from_instance = set_label

    def clean_year(self):
        return clean_year(self.cleaned_data["year"])

    def clean(self):
        cleaned = super().clean()
        title, year, code = cleaned.get("title"), cleaned.get("year"), (cleaned.get("code") or "").strip()
        if title and year and code:
            cleaned["subject"] = find_subject(self.user, title, year, code)
            if cleaned["subject"] is None:
                # Typed without the picker: a whole name names it too, when only one record has it.
                named = subjects_named(self.user, title, code)
                if len(named) > 1:
                    self.add_error("code", ValidationError(SEVERAL, code="ambiguous", params={"text": code}))
                    return cleaned
                cleaned["subject"] = named[0] if named else None
            if cleaned["subject"] is None:
                self.add_error(
                    "code",
                    ValidationError(
                        _(
                            "Nothing of this title is called “%(code)s” in your area: type part of its name "
                            "and pick it from the list."
                        )
                        % {"code": code},
                        code="scope",
                    ),
                )
        return cleaned


class EvidenceForm(forms.Form):
    node = forms.ModelChoiceField(label=_("Criterion"), queryset=None, empty_label=_("Pick the criterion"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = evaluation.criteria_set.nodes.all()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.KHUYENHOC_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.KHUYENHOC_MAX_UPLOAD_BYTES)}
            )
        return uploaded


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    reason = forms.CharField(label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", ValidationError(_("Give the reason for returning them."), code="reason"))
        return cleaned


class YearForm(forms.Form):
    title = forms.ChoiceField(label=_("Title"), choices=TITLE_CHOICES)
    year = forms.IntegerField(label=_("Year evaluated"), initial=lambda: timezone.now().year)
    reason = forms.CharField(label=_("Reason for reopening"), required=False, max_length=500)

    def clean_year(self):
        return clean_year(self.cleaned_data["year"])
