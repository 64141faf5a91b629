"""Whole numbers, years and record ids of the API read by the project's one strict parser
(`core.parsing`), as the pages and the imports read them: plain ASCII digits only (no “①”, “²”, “٣”),
no booleans, no decimals, and every value within what its column holds, so that what passes the check
always saves — on SQLite too, which would store 2^63 or a year 40000 without a word."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from rest_framework import serializers

from core.parsing import INTEGER_RANGES, MAX_ID, field_range, parse_whole_number, parse_year, year_range

# Integer columns that hold a year: read as years of the data's range (settings).
YEAR_COLUMNS = {"year", "from_year", "to_year"}


class WholeNumberField(serializers.IntegerField):
    """An integer of the body, strictly parsed and range-checked (the range shows in the schema)."""

    def to_internal_value(self, data):
        try:
            return parse_whole_number(data, min_value=self.min_value, max_value=self.max_value, grouped=False)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class YearField(WholeNumberField):
    """A year within `KHUYENHOC_FIRST_YEAR`…`KHUYENHOC_LAST_YEAR`."""

    def __init__(self, **kwargs):
        first, last = year_range()
        kwargs.setdefault("min_value", first)
        kwargs.setdefault("max_value", last)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return parse_year(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


def version_field(**kwargs) -> WholeNumberField:
    """A record's version as a client sends it back (a positive integer column)."""
    return WholeNumberField(min_value=1, max_value=INTEGER_RANGES["PositiveIntegerField"][1], **kwargs)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record's id: a whole number an id column holds, before the database is asked (SQLite raises on
    2^63, and Python's int() would read other scripts' digits)."""

    def to_internal_value(self, data):
        try:
            data = parse_whole_number(data, min_value=1, max_value=MAX_ID, grouped=False)
        except DjangoValidationError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


BOUNDS = (MinValueValidator, MaxValueValidator)
INTEGER_COLUMNS = (
    models.IntegerField,  # SmallIntegerField, BigIntegerField and the positive ones are subclasses
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose integer columns are read by `WholeNumberField` (years by `YearField`)
    within the column's range, and whose relations by id by `StrictPrimaryKeyRelatedField`."""

    serializer_related_field = StrictPrimaryKeyRelatedField

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # A column with choices is a ChoiceField already: only its listed values pass.
        integer = isinstance(model_field, INTEGER_COLUMNS) and not isinstance(model_field, models.AutoField)
        if integer and "choices" not in kwargs:
            low, high = field_range(model_field.model, model_field.name)
            if model_field.name in YEAR_COLUMNS:
                first, last = year_range()
                low, high, field_class = max(low, first), min(high, last), YearField
            else:
                field_class = WholeNumberField
            kwargs["min_value"], kwargs["max_value"] = low, high
            # The column's own bounds are checked above, in our words; other validators stay.
            validators = [v for v in kwargs.pop("validators", []) if not isinstance(v, BOUNDS)]
            if validators:
                kwargs["validators"] = validators
        return field_class, kwargs
