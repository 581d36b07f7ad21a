"""API of the SCAR part (/api/v1/anomalies/scars/...), for the quality engineer's tools:

- ``scars/``: the SCARs the caller may read (``?state=open|overdue|answered|accepted|all``);
  ``scars/<id>/``: one, with its answers;
- ``scars/issue/``: POST, issue a SCAR from an NCR; the answer carries the link's token, once;
- ``scars/<id>/accept/``, ``scars/<id>/return/``: review the supplier's answer;
- ``scars/<id>/link/``: POST, a new link (token once); ``scars/<id>/revoke/``: end the link;
- ``scars/<id>/void/``.

The supplier has no API: it answers on the page behind its link.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.permissions import require

from . import selectors_scar as sel
from . import services_scar as S
from .models import Anomaly
from .models_scar import Scar, ScarAnswer, ScarAnswerOutcome, ScarLanguage


class ScarAnswerSerializer(serializers.ModelSerializer):
    # Named apart from the post app's qualification "outcome", whose choices differ.
    review_outcome = serializers.ChoiceField(
        source="outcome", choices=ScarAnswerOutcome.choices, read_only=True
    )

    class Meta:
        model = ScarAnswer
        fields = [
            "id", "responder", "containment", "root_cause", "corrective_actions",
            "verification", "prevention", "attachment_sha256", "submitted_at", "late",
            "review_outcome", "review_note", "reviewed_at",
        ]  # fmt: skip


class ScarSerializer(serializers.ModelSerializer):
    anomaly_number = serializers.CharField(source="anomaly.number", read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    lot_number = serializers.CharField(source="lot.number", read_only=True, default=None)
    link_state = serializers.SerializerMethodField()

    class Meta:
        model = Scar
        fields = [
            "id", "number", "anomaly", "anomaly_number", "supplier", "supplier_code", "lot",
            "lot_number", "problem", "language", "contact", "due_on", "status", "owner",
            "issued_at", "link_expires_at", "link_state", "answered_at", "answers_late",
            "answers_returned", "closed_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=["live", "expired", "revoked", "closed"]))
    def get_link_state(self, obj: Scar) -> str:
        return sel.link_state(obj)


class ScarDetailSerializer(ScarSerializer):
    answers = serializers.SerializerMethodField()

    class Meta(ScarSerializer.Meta):
        fields = [*ScarSerializer.Meta.fields, "answers"]

    @extend_schema_field(ScarAnswerSerializer(many=True))
    def get_answers(self, obj: Scar) -> list[dict[str, Any]]:
        return list(ScarAnswerSerializer(sel.answers_of(obj), many=True).data)


class ScarIssueSerializer(serializers.Serializer):
    anomaly = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    lot = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True
    )
    problem = serializers.CharField(max_length=8000)
    language = serializers.ChoiceField(choices=ScarLanguage.choices, default=ScarLanguage.ZH)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    due_on = serializers.DateField()
    link_days = serializers.IntegerField(min_value=1, max_value=90, required=False, allow_null=True)


class ScarIssuedSerializer(serializers.Serializer):
    scar = ScarSerializer()
    token = serializers.CharField()
    link = serializers.CharField()


class ScarNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")


class ScarReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ScarLinkSerializer(serializers.Serializer):
    link_days = serializers.IntegerField(min_value=1, max_value=90, required=False, allow_null=True)


def _issued(request: Request, issued: S.IssuedLink) -> dict[str, Any]:
    from django.urls import reverse

    link = request.build_absolute_uri(
        reverse("anomalies:scar_reply", args=[issued.scar.pk, issued.token])
    )
    return ScarIssuedSerializer({"scar": issued.scar, "token": issued.token, "link": link}).data  # type: ignore[no-any-return]


class ScarViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    queryset = Scar.objects.all()
    serializer_class = ScarSerializer
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": sel.VIEW,
        "retrieve": sel.VIEW,
        "metadata": sel.VIEW,
        "issue": S.ADD,
        "accept": S.REVIEW,
        "return_answer": S.REVIEW,
        "link": S.LINK,
        "revoke": S.LINK,
        "void": S.VOID,
    }

    def get_queryset(self) -> Any:
        state = self.request.query_params.get("state", "open")
        state = state if state in sel.FILTERS else "open"
        return sel.scar_list(self.request.user, state=state)

    def get_serializer_class(self) -> Any:
        return ScarDetailSerializer if self.action == "retrieve" else ScarSerializer

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=list(sel.FILTERS), required=False)]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ScarIssueSerializer, responses={201: ScarIssuedSerializer})
    @action(detail=False, methods=["post"])
    def issue(self, request: Request) -> Response:
        data = self.body(ScarIssueSerializer)
        anomaly = Anomaly.objects.filter(pk=data["anomaly"], voided_at__isnull=True).first()
        if anomaly is None:
            raise serializers.ValidationError({"anomaly": [_("No such NCR.")]})
        require(request.user, S.ADD, anomaly, clause=S.CLAUSE_SCAR)
        lot = None
        if data.get("lot"):
            from cqo.masterdata.models import Lot

            lot = Lot.objects.filter(pk=data["lot"]).first()
            if lot is None:
                raise serializers.ValidationError({"lot": [_("No such lot.")]})
        issued = S.scar_issue(
            actor=self.actor,
            anomaly=anomaly,
            lot=lot,
            problem=data["problem"],
            language=data["language"],
            contact=data["contact"],
            due_on=data["due_on"],
            link_days=data.get("link_days"),
        )
        return Response(_issued(request, issued), status=status.HTTP_201_CREATED)

    @extend_schema(request=ScarNoteSerializer, responses=ScarSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        scar = self.target(S.REVIEW, S.CLAUSE_SCAR)
        data = self.body(ScarNoteSerializer)
        scar = S.scar_answer_accept(actor=self.actor, scar=scar, note=data["note"])
        return Response(ScarSerializer(scar).data)

    @extend_schema(request=ScarNoteSerializer, responses=ScarSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_answer(self, request: Request, pk: Any = None) -> Response:
        scar = self.target(S.REVIEW, S.CLAUSE_SCAR)
        data = self.body(ScarNoteSerializer)
        scar = S.scar_answer_return(actor=self.actor, scar=scar, note=data["note"])
        return Response(ScarSerializer(scar).data)

    @extend_schema(request=ScarLinkSerializer, responses={201: ScarIssuedSerializer})
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: Any = None) -> Response:
        scar = self.target(S.LINK, S.CLAUSE_SCAR)
        data = self.body(ScarLinkSerializer)
        issued = S.scar_link_reissue(actor=self.actor, scar=scar, link_days=data.get("link_days"))
        return Response(_issued(request, issued), status=status.HTTP_201_CREATED)

    @extend_schema(request=ScarReasonSerializer, responses=ScarSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        scar = self.target(S.LINK, S.CLAUSE_SCAR)
        data = self.body(ScarReasonSerializer)
        scar = S.scar_link_revoke(actor=self.actor, scar=scar, reason=data["reason"])
        return Response(ScarSerializer(scar).data)

    @extend_schema(request=ScarReasonSerializer, responses=ScarSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        scar = self.target(S.VOID, S.CLAUSE_SCAR)
        data = self.body(ScarReasonSerializer)
        scar = S.scar_void(actor=self.actor, scar=scar, reason=data["reason"])
        return Response(ScarSerializer(scar).data)


router = SimpleRouter()
router.register("scars", ScarViewSet, basename="scar")
urlpatterns = router.urls
