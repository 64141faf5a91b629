"""What every page's forms share."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on the field it names when the form has that
    field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def show_service_errors(request, error: ValidationError) -> None:
    """A service's refusal of a button's action (publish, revoke, remove…), shown at the top of the page
    the user is sent back to."""
    for message in error.messages:
        messages.error(request, message)


def perform(request, change, *, done: str) -> bool:
    """Run a button's change through its service: the refusal shown as the page's messages, or `done`
    once it happened. True when it happened."""
    try:
        change()
    except ValidationError as error:
        show_service_errors(request, error)
        return False
    messages.success(request, done)
    return True


SHEET_FILES = (".xlsx", ".csv")


class UploadForm(forms.Form):
    """A file to import; `extensions` are the kinds of file the import reads (a sheet by default)."""

    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, extensions=SHEET_FILES, **kwargs):
        super().__init__(*args, **kwargs)
        self.extensions = tuple(extensions)
        if self.extensions != SHEET_FILES:
            self.fields["file"].label = _("File (%(types)s)") % {"types": ", ".join(self.extensions)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.KHUYENHOC_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.KHUYENHOC_MAX_UPLOAD_BYTES)}
            )
        if not uploaded.name.lower().endswith(self.extensions):
            if self.extensions == SHEET_FILES:
                raise ValidationError(_("Upload an .xlsx or .csv file."))
            raise ValidationError(
                _("Upload a file of one of these types: %(types)s.") % {"types": ", ".join(self.extensions)}
            )
        return uploaded


class ManyChoiceField(forms.MultipleChoiceField):
    """Ticks among thousands of flat choices (a ward's decision lists one per evaluation recognised):
    each value is looked up in the set of the choices' values. Django compares each value with every
    choice in turn, which grows with the square of the list: 10,000 ticks took 6 s to check."""

    def valid_value(self, value):
        choices = self.choices
        if getattr(self, "_values_of", None) is not choices:
            self._values_of, self._values = choices, {str(key) for key, _label in choices}
        return str(value) in self._values
