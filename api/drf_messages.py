"""Django REST framework's own messages that can reach a caller of our API, marked here so that the
project's catalogue carries their translation: DRF's Vietnamese catalogue translates only a few of them,
and a Vietnamese caller must never read an English refusal. The texts are DRF's message ids, word for
word (a translation applies only to its exact id); nothing imports this module."""

from django.utils.translation import gettext_noop as _

MESSAGES = [
    # Fields of a body.
    _("This field is required."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("Not a valid string."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this field has at least {min_length} characters."),
    _("Null characters are not allowed."),
    _("Surrogate characters are not allowed: U+{code_point:X}."),
    _('"{input}" is not a valid choice.'),
    _("Must be a valid boolean."),
    _("A valid integer is required."),
    _("A valid number is required."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("String value too large."),
    _("Ensure that there are no more than {max_digits} digits in total."),
    _("Ensure that there are no more than {max_decimal_places} decimal places."),
    _("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
    _("Expected a date but got a datetime."),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("This dictionary may not be empty."),
    _('Expected a list of items but got type "{input_type}".'),
    _("This list may not be empty."),
    _("Value must be valid JSON."),
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    # Records named by id or by code.
    _('Invalid pk "{pk_value}" - object does not exist.'),
    _("Incorrect type. Expected pk value, received {data_type}."),
    _("Object with {slug_name}={value} does not exist."),
    _("Invalid value."),
    _("This field must be unique."),
    _("The fields {field_names} must make a unique set."),
    # Refusals of the request as a whole.
    _("A server error occurred."),
    _("Invalid input."),
    _("Malformed request."),
    _("Incorrect authentication credentials."),
    _("Authentication credentials were not provided."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _('Method "{method}" not allowed.'),
    _("Could not satisfy the request Accept header."),
    _('Unsupported media type "{media_type}" in request.'),
    _("Request was throttled."),
]
