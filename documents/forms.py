from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import area_kinds


class DocumentRequestForm(forms.Form):
    """What to make, where and for which years. The area is checked against the user's scope by the
    view (404 outside it), the years by the service; the choices come from `selectors.area_choices`."""

    kind = forms.ChoiceField(label=_("Document"))
    area = forms.CharField(label=_("Area"), required=False, widget=forms.Select)
    years = forms.CharField(
        label=_("Year or years"),
        max_length=20,
        help_text=_("One year (2018) or a span of years (2016-2018)."),
    )

    def __init__(self, *args, area_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(name, kind.label) for name, kind in area_kinds().items()]
        self.fields["area"].widget.choices = area_choices
