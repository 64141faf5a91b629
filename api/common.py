"""What every registry resource of the API shares: history, write permission, service errors, area parameters."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings

from areas.models import AdministrativeUnit, Tree, subtree_q
from audit.models import AuditEntry
from audit.services import history_of
from core.access import has_perm


class AuditEntrySerializer(serializers.ModelSerializer):
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
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)


class ManagedWritesMixin:
    """Creating needs `manage_perm`, checked before the body is read. Updates check it in
    `get_object` through the access helpers: 404 outside the caller's area first, then 403."""

    manage_perm: str
    write_actions = ("create", "update", "partial_update")

    def require_manage(self):
        if not has_perm(self.request.user, self.manage_perm):
            raise PermissionDenied(_("Your role cannot change these records."))

    def object_perm(self, view_perm: str) -> str:
        return self.manage_perm if self.action in self.write_actions else view_perm

    def create(self, request, *args, **kwargs):
        self.require_manage()
        return super().create(request, *args, **kwargs)


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
    unit = AdministrativeUnit.objects.visible_to(user).filter(tree=tree, code=code).first()
    if unit is None:
        message = _("No unit with the code “%(code)s” on this tree in your area.") % {"code": code}
        raise ValidationError({f"{name}_code": [message]})
    attrs[name] = unit
    return attrs


def unit_param(value: str, param: str) -> AdministrativeUnit:
    """A query parameter written tree:code (e.g. 2025:01843) → the unit; a clear 400 otherwise."""
    tree, _sep, code = value.partition(":")
    unit = AdministrativeUnit.objects.filter(tree=tree, code=code).first() if tree in Tree.values else None
    if unit is None:
        message = _("No unit “%(key)s”: write it as tree:code, for example 2025:01843.") % {"key": value}
        raise ValidationError({param: [message]})
    return unit


def in_subtree(queryset, path_field: str, value: str, param: str = "area"):
    """Records whose unit is the unit `value` (tree:code) or below it."""
    return queryset.filter(subtree_q(path_field, unit_param(value, param).path))


def unit_code_filter(field: str, value: str) -> dict:
    """A unit written as code or tree:code → the lookups of exactly that unit (as the pages filter)."""
    tree, sep, code = value.strip().rpartition(":")
    return {f"{field}__code": code, f"{field}__tree": tree} if sep else {f"{field}__code": code}


def choice_param(value: str, choices, param: str) -> str:
    if value not in choices.values:
        message = _("Unknown value “%(value)s”; one of: %(choices)s.") % {
            "value": value,
            "choices": ", ".join(str(v) for v in choices.values),
        }
        raise ValidationError({param: [message]})
    return value


def whole_number_param(value: str, param: str) -> int:
    if not value.strip().isdigit():
        raise ValidationError({param: [_("Write a whole number.")]})
    return int(value)


def yes_no_param(value: str, param: str) -> bool:
    folded = value.strip().lower()
    if folded in ("true", "1", "yes"):
        return True
    if folded in ("false", "0", "no"):
        return False
    raise ValidationError({param: [_("Write true or false.")]})
