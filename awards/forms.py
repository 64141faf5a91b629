"""Forms of the award pages: they turn what was typed into what the services take, and the services
check every value again (scope, levels, states)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import AdministrativeUnit, Level, Village
from areas.widgets import SEVERAL, Picker, UnitField, VillageField
from core.forms import ManyChoiceField
from core.parsing import whole_number_or
from core.text import fold, nfc
from criteria.models import Title
from evaluations.subjects import subjects_named
from registry.models import Association, Clan, Household, Organisation

from .models import AwardKind, Recipient

# The title whose registration picker already finds each kind of recipient by name.
RECIPIENT_TITLE = {
    Recipient.HOUSEHOLD: Title.HOUSEHOLD,
    Recipient.CLAN: Title.CLAN,
    Recipient.VILLAGE: Title.VILLAGE,
    Recipient.UNIT: Title.UNIT,
}
RECIPIENT_MODEL = {
    Recipient.HOUSEHOLD: Household,
    Recipient.CLAN: Clan,
    Recipient.VILLAGE: Village,
    Recipient.UNIT: Organisation,
}
LEVEL_CHOICES = [(value, label) for value, label in Level.choices]


def recipients_named(user, recipient: str, text: str) -> list:
    """The records in the user's area that the picker's value (a code, an association's number) or a
    whole name names: one when it is clear, two when several share the name, none when nothing does."""
    text = nfc(text or "").strip()
    if not text:
        return []
    if recipient == Recipient.ASSOCIATION:
        associations = Association.objects.visible_to(user)
        found = associations.filter(pk=pk).first() if (pk := whole_number_or(text, min_value=1)) else None
        return [found] if found else list(associations.filter(name__iexact=text).order_by("pk")[:2])
    model = RECIPIENT_MODEL.get(recipient)
    if model is None:
        return []
    found = model.objects.visible_to(user).filter(code=text).first()
    return [found] if found else subjects_named(user, RECIPIENT_TITLE[recipient], text, limit=2)


def association_options(user, query: str, limit: int = 15) -> list[dict]:
    """The first `limit` associations of the user's area, by name, whose name holds what was typed,
    with or without diacritics. Their names are folded here, not in the database (no column holds them
    folded): every association of the area is read, as names and ids only — 11,000 for a system
    administrator took 41–43 ms on PostgreSQL when none matched. A cap on those read (2,000, by name)
    left the rest of the alphabet unfound."""
    folded = fold(nfc(query or ""))
    if len(folded) < 2:
        return []
    options = []
    named = Association.objects.visible_to(user).order_by("name", "pk").values_list("pk", "name", "area__name")
    for pk, name, area_name in named.iterator(chunk_size=2000):
        if folded in fold(name):
            options.append({"value": str(pk), "label": f"{name} · {area_name}", "name": name, "detail": area_name})
            if len(options) == limit:
                break
    return options


class NominationForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Award"), queryset=AwardKind.objects.filter(is_active=True), empty_label=_("Pick an award")
    )
    area = UnitField(label=_("Proposed by"), help_text=_("The unit proposing: yours, or a unit under it."))
    recipient = forms.ChoiceField(label=_("Who is proposed"), choices=Recipient.choices)
    record = forms.CharField(
        label=_("Recipient"),
        required=False,
        max_length=200,
        widget=Picker(
            "recipient",
            url_name="awards:recipient_search",
            params=("recipient",),
            placeholder=_("Type part of the name and pick from the list"),
        ),
        help_text=_("The association, village, unit, clan or family (by its head's name) of your area."),
    )
    person_name = forms.CharField(label=_("Full name (an individual)"), required=False, max_length=1000)
    person_village = VillageField(label=_("Village where the person lives"), required=False)
    first_year = forms.IntegerField(label=_("From year"))
    last_year = forms.IntegerField(label=_("To year"))
    # Checked by the service with the other fields, so that every mistake is shown at once.
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    achievements = forms.CharField(label=_("Achievements"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = AdministrativeUnit.objects.visible_to(user)
        self.fields["area"].queryset = units
        self.fields["person_village"].queryset = Village.objects.visible_to(user)
        self.fields["kind"].label_from_instance = kind_label

    def clean(self):
        cleaned = super().clean()
        recipient = cleaned.get("recipient")
        if recipient and recipient != Recipient.PERSON:
            text = cleaned.get("record") or ""
            named = recipients_named(self.user, recipient, text)
            if len(named) > 1:
                self.add_error("record", SEVERAL % {"text": text})
            elif not named:
                self.add_error(
                    "record",
                    _("Nothing called “%(text)s” in your area: pick it from the list.") % {"text": text}
                    if text
                    else _("Choose the recipient from the list."),
                )
            cleaned["record_object"] = named[0] if len(named) == 1 else None
        return cleaned

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "recipient": data["recipient"],
            "record": data.get("record_object"),
            "person_name": data.get("person_name", ""),
            "person_village": data.get("person_village"),
            "first_year": data["first_year"],
            "last_year": data["last_year"],
            "reason": data["reason"],
            "achievements": data["achievements"],
        }


def kind_label(kind: AwardKind) -> str:
    return f"{kind.name} · minh hoạ" if kind.is_illustration else kind.name


class AwardDecisionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200)
    signer = forms.CharField(label=_("Signed by"), max_length=120)
    signer_title = forms.CharField(label=_("Signer's position"), max_length=120)
    nominations = ManyChoiceField(label=_("Recipients"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = [
            (str(n.pk), f"{n.recipient_name} · {n.recipient_place}") for n in candidates
        ]


class AwardKindForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    heading = forms.CharField(label=_("Heading on the certificate"), max_length=60)
    issuer_level = forms.TypedChoiceField(label=_("Issued at level"), choices=LEVEL_CHOICES, coerce=int)
    nominator_levels = forms.TypedMultipleChoiceField(
        label=_("Nominated by levels"), choices=LEVEL_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    is_illustration = forms.BooleanField(label=_("Illustration (minh hoạ), not yet confirmed"), required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
