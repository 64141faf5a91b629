"""ManyChoiceField: ticks among thousands of choices are each looked up once; what is not among the
choices is refused with Django's own message, and choices set again after a check are the ones used."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from core.forms import ManyChoiceField


class Ticks(forms.Form):
    ticked = ManyChoiceField(required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticked"].choices = [(str(pk), f"Hộ {pk}") for pk in candidates]


def test_every_tick_among_the_choices_is_kept():
    form = Ticks({"ticked": [str(pk) for pk in range(5000)]}, candidates=range(5000))
    assert form.is_valid()
    assert form.cleaned_data["ticked"] == [str(pk) for pk in range(5000)]


@pytest.mark.parametrize("stranger", ["5000", "-1", "", "٣", "1 "])
def test_a_tick_not_among_the_choices_is_refused_in_vietnamese(stranger):
    with translation.override("vi"):
        form = Ticks({"ticked": ["1", stranger]}, candidates=range(5000))
        assert not form.is_valid()
        assert "Hãy chọn một lựa chọn hợp lệ" in form.errors["ticked"][0]


def test_choices_set_again_are_the_ones_checked():
    field = ManyChoiceField(required=False)
    field.choices = [("1", "Hộ 1")]
    assert field.clean(["1"]) == ["1"]
    field.choices = [("2", "Hộ 2")]
    with pytest.raises(ValidationError):
        field.clean(["1"])
    assert field.clean(["2"]) == ["2"]
