"""What the API accepts: JSON it can parse without running out of stack, and pages it can slice.

It lives in core, below every app that offers endpoints (the organisation app sits under the
api app and uses it too).

DRF's own classes answered a 500 to two inputs (issue 8 §4): JSON nested a few thousand levels
deep made the standard library's parser raise ``RecursionError``, which DRF does not catch; and
``?limit=`` or ``?offset=`` beyond a 64-bit integer reached the database, which cannot hold it.
Both are kept, with those two holes closed: a 400 naming the problem.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
# The largest id a row can have: both databases keep ids as signed 64-bit integers.
MAX_ID = 2**63 - 1
# Far beyond any table of ours, and far below what SQLite and PostgreSQL can count to.
MAX_OFFSET = 10**12


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON is nested too deeply to read.")) from exc


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def _bounded(self, request: Any, name: str, default: int, low: int, high: int) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
            raise ValidationError(
                {
                    name: [
                        _("Give a whole number from %(low)d to %(high)d.")
                        % {"low": low, "high": high}
                    ]
                }
            )
        return int(raw)

    def get_limit(self, request: Any) -> int | None:
        assert self.default_limit is not None
        return self._bounded(request, self.limit_query_param, self.default_limit, 1, MAX_LIMIT)

    def get_offset(self, request: Any) -> int:
        return self._bounded(request, self.offset_query_param, 0, 0, MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": MAX_LIMIT},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for param in params:
            param["schema"].update(bounds.get(param["name"], {}))
        return params
