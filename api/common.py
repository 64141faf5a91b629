"""What every resource of the API shares: the scoped base (its records from the apps' selectors, its
permissions from class attributes), history, service errors, and the reading of query parameters."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings

from accounts.roles import Perm
from areas.models import AdministrativeUnit
from areas.selectors import area_from_param, find_unit
from audit.models import AuditEntry
from audit.services import history_of
from core.access import has_perm, require_perm
from core.parsing import MAX_ID, parse_whole_number, parse_year

from .fields import StrictModelSerializer


class AuditEntrySerializer(StrictModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["created_at", "actor", "action", "before", "after", "reason"]


class HistoryMixin:
    """GET …/{key}/history/: every change of the record, newest first (the record's scope applies)."""

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, **kwargs):
        record = self.get_object()
        page = self.paginate_queryset(history_of(record))
        return self.get_paginated_response(AuditEntrySerializer(self.readable_history(page), many=True).data)

    def readable_history(self, entries):
        """The entries as the caller may read them (a resource may narrow what they name)."""
        return entries


class ScopedViewSet(viewsets.GenericViewSet):
    """The base of every resource. Its records are `queryset_for(user, params)`, which reads the query
    parameters and asks the app's selector (every selector starts from `Model.objects.visible_to(user)`);
    listing needs `view_perm` (None: any signed-in user). One record is found by the app's access helper
    with `object_perm()`: 404 outside the caller's area first, then 403. Creating and changing need
    `manage_perm`, checked before the body is read."""

    model: type
    view_perm: str | None = Perm.VIEW_REGISTRIES
    manage_perm: str | None = None
    write_actions = ("create", "update", "partial_update")
    manage_refused = gettext_lazy("Your role cannot change these records.")

    def queryset_for(self, user, params):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return self.model.objects.none()
        if self.view_perm is not None:
            require_perm(self.request.user, self.view_perm)
        return self.queryset_for(self.request.user, self.request.query_params)

    def object_perm(self) -> str | None:
        return self.manage_perm if self.action in self.write_actions else self.view_perm

    def require_manage(self):
        if not has_perm(self.request.user, self.manage_perm):
            raise PermissionDenied(self.manage_refused)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "create" and self.manage_perm is not None:
            self.require_manage()


@contextmanager
def service_errors(field_of_code: dict):
    """A service's ValidationError as a 400 naming the field: errors keyed by field keep their key,
    the others are placed by their code (`None` for errors without one), else on the whole record."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(get_error_detail(error)) from error
        detail = {}
        for item in error.error_list:
            field = field_of_code.get(item.code, api_settings.NON_FIELD_ERRORS_KEY)
            detail.setdefault(field, []).extend(get_error_detail(item))
        raise ValidationError(detail) from error


def resolve_unit(serializer, attrs: dict, name: str) -> dict:
    """`attrs[name]` as given by the `<name>_tree`/`<name>_code` fields → the unit of the caller's area
    (on a partial update the part not given is the record's); outside the area reads as unknown."""
    given = attrs.get(name)
    if given is None:
        return attrs
    current = getattr(serializer.instance, name, None)
    tree = given.get("tree", current.tree if current else None)
    code = given.get("code", current.code if current else None)
    user = serializer.context["request"].user
    unit = find_unit(tree, code, units=AdministrativeUnit.objects.visible_to(user))
    if unit is None:
        message = _("No unit with the code “%(code)s” on this tree in your area.") % {"code": code}
        raise ValidationError({f"{name}_code": [message]})
    attrs[name] = unit
    return attrs


@contextmanager
def param_errors(param: str):
    """A selector's refusal of a query parameter as a 400 naming the parameter."""
    try:
        yield
    except DjangoValidationError as error:
        raise ValidationError({param: error.messages}) from error


def area_param(params, param: str = "area", *, tree: str | None = None) -> AdministrativeUnit | None:
    """The unit a query parameter names (tree:code; a code alone read on `tree`, or when it is on one
    tree only), None when it is not given; a clear 400 otherwise."""
    if not params.get(param):
        return None
    with param_errors(param):
        return area_from_param(params[param], tree=tree)


def choice_param(value: str, choices, param: str) -> str:
    """`value` if it is one of `choices` (Django choices, or a list of values); a clear 400 otherwise."""
    values = getattr(choices, "values", choices)
    if value not in values:
        message = _("Unknown value “%(value)s”; one of: %(choices)s.") % {
            "value": value,
            "choices": ", ".join(str(v) for v in values),
        }
        raise ValidationError({param: [message]})
    return value


def whole_number_param(value: str, param: str, *, min_value: int = 0, max_value: int = MAX_ID) -> int:
    """A whole-number query parameter in plain ASCII digits within the range (by default what an id
    column holds); a 400 naming the parameter otherwise."""
    try:
        return parse_whole_number(value, min_value=min_value, max_value=max_value, grouped=False)
    except DjangoValidationError as error:
        raise ValidationError({param: error.messages}) from error


def year_param(value: str, param: str = "year") -> int:
    """A year query parameter within the data's range; a 400 naming the parameter otherwise."""
    try:
        return parse_year(value)
    except DjangoValidationError as error:
        raise ValidationError({param: error.messages}) from error


def yes_no_param(value: str, param: str) -> bool:
    folded = value.strip().lower()
    if folded in ("true", "1", "yes"):
        return True
    if folded in ("false", "0", "no"):
        return False
    raise ValidationError({param: [_("Write true or false.")]})
