"""API of the inspection app: results part (/api/v1/inspection/...).

- ``lots/<id>/results/``: GET the lot's live results, POST results (one lot, all or nothing);
- ``results/bulk/``: POST results across lots (instruments, an MES), all or nothing;
- ``results/<id>/void/``: void one result with a reason;
- ``lots/<id>/tally/``, ``lots/<id>/decide/``: the numbers, and the usage decision;
- ``lots/<id>/concessions/``, ``concessions/``: raise and read concessions (§6 c));
- ``lots/<id>/dispositions/``, ``dispositions/``: dispositions of a rejected lot;
- ``lots/<id>/attachments/``: a photo or report (multipart).

The body of a results post is checked by the service, row by row; the serializer only asks for
a list of objects, so 10,000 rows are read once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.permissions import require

from . import selectors_results as sel
from . import services_results as S
from .models import Concession, Disposition, DispositionKind, InspectionLot, Measurement

MAX_ROWS = 20_000
VIEW_LOT = "inspection.view_inspectionlot"


class ResultRowSerializer(serializers.Serializer):
    """One result (documentation of a row; the service checks each row and names it in errors)."""

    characteristic_id = serializers.IntegerField(required=False)
    characteristic = serializers.CharField(required=False, help_text="code, instead of the id")
    sample_no = serializers.IntegerField(min_value=1)
    value = serializers.DecimalField(max_digits=18, decimal_places=6, required=False)
    defects = serializers.IntegerField(min_value=0, required=False)
    conforming = serializers.BooleanField(required=False, help_text="pass/fail, attributes")
    defect_type = serializers.CharField(required=False, allow_blank=True)
    instrument_id = serializers.IntegerField(required=False)
    instrument = serializers.CharField(required=False, help_text="number, instead of the id")
    measured_at = serializers.DateTimeField(required=False)


class BulkRowSerializer(ResultRowSerializer):
    inspection_lot = serializers.IntegerField(required=False)
    inspection_lot_number = serializers.CharField(required=False)


class _Rows(serializers.Field):
    """A list of objects, passed on as it came: the service checks each row and names it in its
    errors (a DictField per row would read 10,000 rows twice)."""

    default_error_messages = {
        "not_a_list": _("Give the results as a list of objects."),
        "too_many": _("At most {max} results in one post."),
    }

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            self.fail("not_a_list")
        if len(data) > MAX_ROWS:
            self.fail("too_many", max=MAX_ROWS)
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class ResultsPostSerializer(serializers.Serializer):
    rows = _Rows()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    correction_reason = serializers.CharField(required=False, allow_blank=True, default="")


class BulkPostSerializer(serializers.Serializer):
    rows = _Rows()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class _ResultsPostDoc(serializers.Serializer):
    rows = ResultRowSerializer(many=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    correction_reason = serializers.CharField(required=False, allow_blank=True)


class _BulkPostDoc(serializers.Serializer):
    rows = BulkRowSerializer(many=True)
    reason = serializers.CharField(required=False, allow_blank=True)


class RecordedSerializer(serializers.Serializer):
    inspection_lot = serializers.IntegerField(source="inspection_lot.pk")
    number = serializers.CharField(source="inspection_lot.number")
    created = serializers.SerializerMethodField()
    out_of_spec = serializers.IntegerField(source="nonconforming")
    voided = serializers.IntegerField()
    unchanged = serializers.IntegerField()

    def get_created(self, obj: S.RecordedResults) -> int:
        return len(obj.created)


class MeasurementSerializer(serializers.ModelSerializer):
    characteristic_code = serializers.CharField(source="characteristic.code", read_only=True)
    instrument_number = serializers.CharField(
        source="instrument.number", read_only=True, default=""
    )

    class Meta:
        model = Measurement
        fields = [
            "id", "inspection_lot", "characteristic", "characteristic_code", "sample_no",
            "value", "defects", "conforming", "defect_type", "instrument", "instrument_number",
            "measured_at", "recorded_by", "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = fields


class VoidReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ClassTallySerializer(serializers.Serializer):
    defect_class = serializers.CharField()
    n = serializers.IntegerField()
    ac = serializers.IntegerField()
    re = serializers.IntegerField()
    nonconforming = serializers.IntegerField()
    accepted = serializers.BooleanField()


class ShortCountSerializer(serializers.Serializer):
    characteristic = serializers.IntegerField(source="characteristic.pk")
    code = serializers.CharField(source="characteristic.code")
    recorded = serializers.IntegerField()
    n = serializers.IntegerField()


class TallySerializer(serializers.Serializer):
    proposal = serializers.CharField()
    results = serializers.IntegerField()
    nonconforming_units = serializers.IntegerField()
    classes = ClassTallySerializer(many=True)
    short = ShortCountSerializer(many=True)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    sample_count_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionLot
        fields = [
            "id", "number", "status", "decision", "decision_note", "nonconforming",
            "sample_count_reason", "decided_by", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class ConcessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Concession
        fields = [
            "id", "inspection_lot", "quantity", "reason", "limits", "customer_consent_required",
            "customer_consent", "status", "approval", "raised_by", "raised_at",
        ]  # fmt: skip
        read_only_fields = fields


class ConcessionRaiseSerializer(serializers.Serializer):
    quantity = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    limits = serializers.CharField(allow_blank=True)
    customer_consent_required = serializers.BooleanField(default=False)
    customer_consent = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ConsentSerializer(serializers.Serializer):
    customer_consent = serializers.CharField(allow_blank=True)


class DispositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disposition
        fields = [
            "id", "inspection_lot", "kind", "quantity", "note", "decided_by", "decided_at",
            "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = fields


class DispositionRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DispositionKind.choices)
    quantity = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionLotResultsViewSet(ServiceViewSet):
    """The results part's actions on one inspection lot (the lots part serves the lot itself)."""

    queryset = InspectionLot.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "results": VIEW_LOT,
        "results_record": VIEW_LOT,
        "tally": VIEW_LOT,
        "decide": VIEW_LOT,
        "concessions": VIEW_LOT,
        "dispositions": VIEW_LOT,
        "attachments": VIEW_LOT,
    }

    def _lot(self, perm: str = VIEW_LOT, clause: str = S.CLAUSE_GATE) -> InspectionLot:
        lot: InspectionLot = self.target(perm, clause)
        return lot

    @extend_schema(responses=MeasurementSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request: Request, pk: Any = None) -> Response:
        lot = self._lot()
        rows = sel.results_of(lot)
        return Response(MeasurementSerializer(rows, many=True).data)

    @extend_schema(request=_ResultsPostDoc, responses={201: RecordedSerializer})
    @results.mapping.post
    def results_record(self, request: Request, pk: Any = None) -> Response:
        lot = self._lot("inspection.add_measurement")
        data = self.body(ResultsPostSerializer)
        saved = S.results_record(
            actor=self.actor,
            inspection_lot=lot,
            rows=data["rows"],
            reason=data["reason"],
            correction_reason=data["correction_reason"],
        )
        return Response(RecordedSerializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TallySerializer)
    @action(detail=True, methods=["get"])
    def tally(self, request: Request, pk: Any = None) -> Response:
        lot = self._lot()
        return Response(TallySerializer(sel.lot_tally(lot)).data)

    @extend_schema(request=DecideSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        lot = self._lot("inspection.decide_inspectionlot")
        data = self.body(DecideSerializer)
        lot = S.inspection_lot_decide(actor=self.actor, inspection_lot=lot, **data)
        return Response(DecisionSerializer(lot).data)

    @extend_schema(request=ConcessionRaiseSerializer, responses={201: ConcessionSerializer})
    @action(detail=True, methods=["post"])
    def concessions(self, request: Request, pk: Any = None) -> Response:
        lot = self._lot("inspection.add_concession", S.CLAUSE_CONCESSION)
        data = self.body(ConcessionRaiseSerializer)
        concession = S.concession_raise(
            actor=self.actor,
            inspection_lot=lot,
            quantity=data["quantity"],
            reason=data["reason"],
            limits=data["limits"],
            customer_consent_required=data["customer_consent_required"],
            customer_consent=data["customer_consent"],
            due=data["due_date"],
        )
        return Response(ConcessionSerializer(concession).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DispositionRecordSerializer, responses={201: DispositionSerializer})
    @action(detail=True, methods=["post"])
    def dispositions(self, request: Request, pk: Any = None) -> Response:
        lot = self._lot("inspection.add_disposition")
        data = self.body(DispositionRecordSerializer)
        disposition = S.disposition_record(actor=self.actor, inspection_lot=lot, **data)
        return Response(DispositionSerializer(disposition).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request: Request, pk: Any = None) -> Response:
        lot = self._lot("inspection.add_inspectionattachment")
        data = self.body(AttachmentUploadSerializer)
        attachment = S.attachment_add(
            actor=self.actor, inspection_lot=lot, file=data["file"], name=data["name"]
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class MeasurementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Results across lots: read (filter ``?inspection_lot=`` / ``?characteristic=``), post in
    bulk, void one."""

    serializer_class = MeasurementSerializer
    queryset = Measurement.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "inspection.view_measurement",
        "retrieve": "inspection.view_measurement",
        "metadata": "inspection.view_measurement",
        "bulk": "inspection.view_measurement",
        "void": "inspection.view_measurement",
    }

    def get_queryset(self) -> Any:
        qs = sel.measurements_visible(self.request.user).filter(voided_at__isnull=True)
        params = self.request.query_params
        for name in ("inspection_lot", "characteristic"):
            raw = params.get(name, "")
            if raw:
                ok = raw.isdigit() and len(raw) < 18
                qs = qs.filter(**{name: int(raw)}) if ok else qs.none()
        return qs.order_by("pk")

    @extend_schema(request=_BulkPostDoc, responses={201: RecordedSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        require(request.user, "inspection.add_measurement", clause=S.CLAUSE_GATE)
        data = self.body(BulkPostSerializer)
        saved = S.results_record_bulk(actor=self.actor, rows=data["rows"], reason=data["reason"])
        return Response(RecordedSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VoidReasonSerializer, responses=MeasurementSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        measurement = self.target("inspection.void_measurement", S.CLAUSE_GATE)
        data = self.body(VoidReasonSerializer)
        voided = S.measurement_void(
            actor=self.actor, measurement=measurement, reason=data["reason"]
        )
        return Response(MeasurementSerializer(voided).data)


class ConcessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = ConcessionSerializer
    queryset = Concession.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "inspection.view_concession",
        "retrieve": "inspection.view_concession",
        "metadata": "inspection.view_concession",
        "consent": "inspection.view_concession",
    }

    def get_queryset(self) -> Any:
        return sel.concessions_visible(self.request.user)

    @extend_schema(request=ConsentSerializer, responses=ConcessionSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: Any = None) -> Response:
        concession = self.target("inspection.view_concession")
        require(
            request.user,
            "inspection.add_concession",
            concession.inspection_lot,
            clause=S.CLAUSE_CONCESSION,
        )
        data = self.body(ConsentSerializer)
        concession = S.concession_consent_record(
            actor=self.actor, concession=concession, customer_consent=data["customer_consent"]
        )
        return Response(ConcessionSerializer(concession).data)


class DispositionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = DispositionSerializer
    queryset = Disposition.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "inspection.view_disposition",
        "retrieve": "inspection.view_disposition",
        "metadata": "inspection.view_disposition",
        "void": "inspection.view_disposition",
    }

    def get_queryset(self) -> Any:
        return sel.dispositions_visible(self.request.user)

    @extend_schema(request=VoidReasonSerializer, responses=DispositionSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        disposition = self.target("inspection.void_disposition", S.CLAUSE_GATE)
        data = self.body(VoidReasonSerializer)
        voided = S.disposition_void(
            actor=self.actor, disposition=disposition, reason=data["reason"]
        )
        return Response(DispositionSerializer(voided).data)


router = SimpleRouter()
router.register("lots", InspectionLotResultsViewSet, basename="lot")
router.register("results", MeasurementViewSet, basename="result")
router.register("concessions", ConcessionViewSet, basename="concession")
router.register("dispositions", DispositionViewSet, basename="disposition")
urlpatterns = router.urls
