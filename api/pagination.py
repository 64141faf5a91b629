from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from core.parsing import MAX_ID, parse_whole_number


class StandardPagination(PageNumberPagination):
    """Pages of 50 by default; callers may ask for up to 500 with ?page_size=. Both parameters are read
    by the one strict parser (plain ASCII digits): anything else is a 400 naming the parameter, and a
    page past the last one a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = gettext_lazy("There is no such page: the list has fewer pages.")

    def _number(self, request, param: str, max_value: int) -> int | None:
        raw = request.query_params.get(param, "")
        if not raw.strip():
            return None
        try:
            return parse_whole_number(raw, min_value=1, max_value=max_value, grouped=False)
        except DjangoValidationError as error:
            raise ValidationError({param: error.messages}) from error

    def get_page_size(self, request):
        return self._number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw.strip() in self.last_page_strings:
            return paginator.num_pages
        return self._number(request, self.page_query_param, MAX_ID) or 1
