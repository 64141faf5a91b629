from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class TemplateUploadForm(forms.Form):
    """The .docx and a word on what changed; its content is checked by the service (fields, type)."""

    file = forms.FileField(label=_("Word template (.docx)"))
    note = forms.CharField(
        label=_("What changed"),
        max_length=200,
        required=False,
        help_text=_("For example: new chairman; logo added."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.KHUYENHOC_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.KHUYENHOC_MAX_UPLOAD_BYTES)}
            )
        return uploaded
