from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cqo.api.exceptions import exception_handler
from cqo.core.permissions import require


def test_a_field_validation_error_becomes_400_keyed_by_field() -> None:
    error = ValidationError({"code": [_("Enter a valid value.")]})
    with translation.override("zh-hans"):
        response = exception_handler(error, {})
    assert response is not None and response.status_code == 400
    assert response.data == {"code": ["输入一个有效的值。"]}


def test_a_non_field_error_uses_drfs_non_field_key() -> None:
    error = ValidationError({"__all__": ["broken"]})
    response = exception_handler(error, {})
    assert response is not None and response.data == {"non_field_errors": ["broken"]}


def test_a_plain_validation_error_is_a_detail_list() -> None:
    response = exception_handler(ValidationError(["one", "two"]), {})
    assert response is not None and response.data == {"detail": ["one", "two"]}


def test_permission_denied_from_a_service_keeps_its_message_in_the_users_language(
    db: Any,
) -> None:
    for language, text in (("zh-hans", "您不具备此项权限（§6 i)）。"), ("en", "(§6 i)")):
        with translation.override(language):
            try:
                require(None, "organisation.add_unit", clause="§6 i)")
            except PermissionDenied as exc:
                response = exception_handler(exc, {})
        assert response is not None and response.status_code == 403
        assert text in str(response.data["detail"])
