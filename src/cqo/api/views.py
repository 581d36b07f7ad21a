"""The API's own endpoints: the v1 root, tokens, and who am I."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cqo.accounts import services as accounts
from cqo.accounts.middleware import must_change_message
from cqo.accounts.tokens import public_id
from cqo.audit.services import audit_record

# The endpoints the root lists, by name in the ``api`` namespace.
ROOT_LINKS = {
    "me": "api:me",
    "auth_token": "api:token",
    "auth_tokens": "api:tokens",
    "organisation": "api:org:api-root",
    "post": "api:post:api-root",
    "authorities": "api:authorities:api-root",
    "audit_events": "api:audit-event-list",
    "audit_signatures": "api:audit-signature-list",
    "schema": "api:schema",
    "docs": "api:docs",
    "redoc": "api:redoc",
}


class RootView(APIView):
    """The v1 root: links to every group of endpoints."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="Links to the endpoints of API version 1.",
    )
    def get(self, request: Request) -> Response:
        links: dict[str, str] = {}
        for key, name in ROOT_LINKS.items():
            try:
                links[key] = request.build_absolute_uri(reverse(name))
            except NoReverseMatch:  # a module not mounted in this deployment
                continue
        return Response(links)


# --- tokens ---------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="shown once; only its hash is kept")
    username = serializers.CharField(read_only=True)
    id = serializers.CharField(read_only=True, help_text="the token's id in the list of tokens")
    expiry = serializers.DateTimeField(read_only=True)


class TokenInfoSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)
    current = serializers.BooleanField(read_only=True, help_text="the token of this request")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


class _TokenPermission(BasePermission):
    # Anyone may ask for a token with a username and password; revoking needs the token itself
    # (or a signed-in session).
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "POST":
            return True
        return bool(request.user and request.user.is_authenticated)


class TokenView(APIView):
    permission_classes = [_TokenPermission]
    throttle_classes: list[Any] = []  # the sign-in throttle below is the one that matters

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            403: OpenApiResponse(ErrorSerializer, description="The password must be changed."),
            429: OpenApiResponse(ErrorSerializer, description="Sign-in is locked for a while."),
        },
        description="Obtain a new API token with a username and password. Failures count "
        "towards the same sign-in lock as the web form; send the token as "
        "`Authorization: Token <key>`. Each call issues a new token, valid for "
        "`CQO_API_TOKEN_DAYS` (90) days; only its hash is stored, so it is shown once.",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            user = accounts.signin_authenticate(
                request=request._request,
                username=body.validated_data["username"],
                password=body.validated_data["password"],
                via="api",
            )
        except accounts.SigninLocked as exc:
            return Response(
                {"detail": exc.messages[0]},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.seconds)},
            )
        if user.must_change_password:
            return Response({"detail": must_change_message()}, status=status.HTTP_403_FORBIDDEN)
        instance, key = AuthToken.objects.create(user=user)
        audit_record(
            actor=user, action="accounts.token_create", obj=user,
            after={"token": public_id(instance), "expiry": instance.expiry.isoformat()},
        )  # fmt: skip
        return Response(
            {
                "token": key,
                "username": user.get_username(),
                "id": public_id(instance),
                "expiry": instance.expiry,
            }
        )

    @extend_schema(
        request=None,
        responses={204: None},
        description="Revoke the token this request carries; signed in by session instead, "
        "revoke every token of the account.",
    )
    def delete(self, request: Request) -> Response:
        if isinstance(request.auth, AuthToken):
            accounts.token_revoke(actor=request.user, digest=request.auth.digest)
        else:
            accounts.token_revoke(actor=request.user, every=True)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _current(request: Request, token: AuthToken) -> bool:
    return isinstance(request.auth, AuthToken) and request.auth.digest == token.digest


class TokenListView(APIView):
    """The caller's own API tokens (never anyone else's), newest first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TokenInfoSerializer(many=True))
    def get(self, request: Request) -> Response:
        tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
        return Response(
            TokenInfoSerializer(
                [
                    {
                        "id": public_id(t),
                        "created": t.created,
                        "expiry": t.expiry,
                        "current": _current(request, t),
                    }
                    for t in tokens
                ],
                many=True,
            ).data
        )


class TokenDetailView(APIView):
    """One of the caller's tokens, by its id from the list."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={204: None, 404: OpenApiResponse(ErrorSerializer, description="No such token.")},
        description="Revoke one of the caller's tokens.",
    )
    def delete(self, request: Request, token_id: str) -> Response:
        if not accounts.token_revoke(actor=request.user, token_id=token_id):
            return Response({"detail": _("No such token.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- me -------------------------------------------------------------------------------------


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(help_text="the display name in the language of the response")
    display_name = serializers.CharField()
    display_name_en = serializers.CharField()
    email = serializers.EmailField()
    roles = RoleSerializer(many=True)
    language = serializers.CharField(help_text="the language of this response")
    languages = serializers.ListField(child=serializers.CharField())
    must_change_password = serializers.BooleanField()


def _name(user: Any, language: str) -> str:
    if language.startswith("en") and user.display_name_en:
        return str(user.display_name_en)
    return str(user.get_full_name() or user.get_username())


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, description="The signed-in user, roles and language.")
    def get(self, request: Request) -> Response:
        from cqo.organisation.roles import ROLES, role_label
        from cqo.organisation.rules import user_roles

        user = request.user
        language = get_language() or settings.LANGUAGE_CODE
        codes = user_roles(user)
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "name": _name(user, language),
            "display_name": getattr(user, "display_name", ""),
            "display_name_en": getattr(user, "display_name_en", ""),
            "email": getattr(user, "email", ""),
            "roles": [{"code": c, "label": role_label(c)} for c in ROLES if c in codes],
            "language": language,
            "languages": [code for code, _label in settings.LANGUAGES],
            "must_change_password": bool(getattr(user, "must_change_password", False)),
        }
        return Response(MeSerializer(data).data)
