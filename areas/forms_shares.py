"""The form of a divided old commune's shares: the basis, the whole and one count per new commune."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.parsing import clean_whole_number

from .models import ShareBasis

COUNT_MAX = 10**9


class CountField(forms.CharField):
    """A whole number written as 1001, 1.001 or 1 001."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return clean_whole_number(value, min_value=0, max_value=COUNT_MAX)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class SharesForm(forms.Form):
    basis = forms.ChoiceField(label=_("Shares counted by"), choices=ShareBasis.choices)
    whole = CountField(label=_("The old commune's whole"))

    def __init__(self, *args, pieces, **kwargs):
        super().__init__(*args, **kwargs)
        self.pieces = pieces
        for piece in pieces:
            new = piece.successor
            label = _("Share that went to %(new)s (%(code)s)") % {"new": new.name, "code": new.code}
            self.fields[f"count_{new.code}"] = CountField(label=label, required=False)
        for field in self.fields.values():
            if isinstance(field, CountField):
                field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"})

    def counts(self) -> dict:
        """The entered counts by new commune's code (a piece left empty is missing: the service says so)."""
        found = {}
        for piece in self.pieces:
            value = self.cleaned_data.get(f"count_{piece.successor.code}")
            if value is not None:
                found[piece.successor.code] = value
        return found
