"""The post's API (/api/v1/post/): appointments, qualification, competence and the charter.

Writes go through the same services as the pages, so the permission, the qualification re-check,
the e-signature and the audit event are the same whichever door a change comes in by. Signing
needs the signer's password in the request body, as on the page.

The documents (appointment letter, filing record as PDF and Excel, qualification report, charter)
download here with the permission their pages ask, checked on the object, and are built by the
same ``documents`` functions, in the caller's language.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cqo.accounts.viewsets import ServiceViewSet
from cqo.api.fields import ProtectedFileField
from cqo.core.api_input import JSONParser
from cqo.core.uploads import file_response
from cqo.organisation.models import EducationLevel, Person, TitleLevel

from . import documents
from . import selectors as sel
from . import services as S
from .models import (
    Appointment,
    AppointmentKind,
    CompetenceArea,
    CompetenceAssessment,
    CompetenceScore,
    DevelopmentAction,
    Disqualification,
    EndKind,
    EvidenceDocument,
    EvidenceKind,
    LedFunction,
    PostForm,
    QualificationRule,
    QualificationRuleSet,
)
from .qualification import qualification_check

# --- serializers --------------------------------------------------------------------------


def inline_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field whose values are written inline in the schema, not as a shared component.

    Several apps have a field named "kind" (and choice sets such as the education levels appear
    under several names); shared enum components would collide on those names.
    """
    values = [value for value, _label in choices]

    # A pattern rather than "enum": the enum post-processing would lift an enum into a component.
    @extend_schema_field({"type": "string", "pattern": "^(" + "|".join(values) + ")$"})
    class _Inline(serializers.ChoiceField):
        pass

    return _Inline(choices=choices, **kwargs)


class AppointmentSerializer(serializers.ModelSerializer):
    kind = inline_choice(AppointmentKind.choices, read_only=True)
    in_force = serializers.SerializerMethodField()
    last_day = serializers.DateField(read_only=True)
    # Empty while the appointment has not ended; the schema says so (issue 8 §4).
    end_kind = serializers.ChoiceField(choices=EndKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id", "number", "enterprise", "person", "principal", "kind", "effective_from",
            "effective_to", "post_form", "holder_position", "functions",
            "also_quality_safety_director", "origin", "predecessor", "note", "status", "signed_at",
            "signature", "ended_on", "end_kind", "end_reason", "last_day", "in_force",
            "qualification", "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_in_force(self, obj: Appointment) -> bool:
        return obj.in_force_on()


class DeclarationsField(serializers.DictField):
    child = serializers.BooleanField()


class AppointmentWriteSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    kind = inline_choice(AppointmentKind.choices, default=AppointmentKind.APPOINTMENT)
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True, default=None)
    post_form = serializers.ChoiceField(choices=PostForm.choices, default=PostForm.DEDICATED)
    holder_position = serializers.CharField(required=False, allow_blank=True, default="")
    functions = serializers.ListField(
        child=serializers.ChoiceField(choices=LedFunction.choices), default=list(LedFunction.values)
    )
    also_quality_safety_director = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    declarations = DeclarationsField(
        required=False,
        default=dict,
        help_text="§5.1.4 conditions declared by the principal: "
        + ", ".join(Disqualification.values),
    )
    password = serializers.CharField(
        required=False, allow_blank=True, default=None, allow_null=True, write_only=True,
        help_text="The principal's password: given, the appointment is signed at once.",
    )  # fmt: skip


class HandoverSerializer(AppointmentWriteSerializer):
    pass


class RenewSerializer(serializers.Serializer):
    effective_from = serializers.DateField(required=False, allow_null=True, default=None)
    effective_to = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    password = serializers.CharField(required=False, allow_null=True, default=None, write_only=True)


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True)


class RemoveSerializer(serializers.Serializer):
    reason = serializers.CharField()
    last_day = serializers.DateField(required=False, allow_null=True, default=None)
    password = serializers.CharField(write_only=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class EvidenceSerializer(serializers.ModelSerializer):
    kind = inline_choice(EvidenceKind.choices)
    file = ProtectedFileField(
        url_name="api:post:post-evidence-file",
        required=False,
        allow_null=True,
        help_text="PDF, JPEG or PNG (checked by content, at most the upload limit). Read back as "
        "the link that serves the file to those who may read the document.",
    )

    class Meta:
        model = EvidenceDocument
        fields = [
            "id", "person", "kind", "title", "education", "title_level", "quality_years", "issuer",
            "number",
            "issued_on", "expires_on", "file", "note", "uploaded_at", "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = ["person", "uploaded_at", "voided_at", "void_reason"]


class CheckResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    clause = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["pass", "warning", "block"])
    message = serializers.CharField()
    evidence = serializers.ListField(child=serializers.DictField())


class QualificationSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    rule_set = serializers.CharField()
    on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=["pass", "warning", "block"])
    results = CheckResultSerializer(many=True)


class DeclareSerializer(serializers.Serializer):
    declarations = DeclarationsField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RuleSerializer(serializers.ModelSerializer):
    min_education = inline_choice(EducationLevel.choices, read_only=True)
    min_title = inline_choice(TitleLevel.choices, read_only=True)

    class Meta:
        model = QualificationRule
        fields = ["size_class", "min_education", "min_title", "min_years", "training"]


class RuleSetSerializer(serializers.ModelSerializer):
    rules = RuleSerializer(many=True, read_only=True)

    class Meta:
        model = QualificationRuleSet
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "basis",
            "description",
            "description_en",
            "is_default",
            "rules",
        ]


class ScoreRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetenceScore
        fields = ["area", "self_score", "principal_score", "comment"]


class ActionRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = DevelopmentAction
        fields = ["id", "area", "action", "due_on", "done_on"]
        read_only_fields = ["id", "done_on"]


class AssessmentSerializer(serializers.ModelSerializer):
    scores = ScoreRowSerializer(many=True, read_only=True)
    actions = ActionRowSerializer(many=True, read_only=True)

    class Meta:
        model = CompetenceAssessment
        fields = [
            "id",
            "person",
            "assessed_on",
            "status",
            "summary",
            "completed_at",
            "scores",
            "actions",
        ]
        read_only_fields = ["status", "completed_at"]


class ScoresSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text=", ".join(CompetenceArea.values)
    )
    comments = serializers.DictField(child=serializers.CharField(), required=False, default=dict)


# --- documents ----------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _FileRenderer(BaseRenderer):
    """Lets a client ask for the document's type in ``Accept``; the document itself is an
    ``HttpResponse`` that skips rendering, and an error is still written as JSON."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


class PDFRenderer(_FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XLSXRenderer(_FileRenderer):
    media_type = XLSX
    format = "xlsx"


class _AnyFileRenderer(_FileRenderer):
    media_type = "application/octet-stream"
    format = "file"


PDF_RENDERERS = [JSONRenderer, PDFRenderer]
XLSX_RENDERERS = [JSONRenderer, XLSXRenderer]
PDF_RESPONSE = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
}
XLSX_RESPONSE = {
    (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The Excel workbook."),
}


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _file(data: bytes, content_type: str, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- views --------------------------------------------------------------------------------


class _Base(ServiceViewSet):
    def get_object(self) -> Any:
        # A write on a record the caller cannot see is refused as a write (403, with the rule),
        # not hidden behind the visibility filter (404): the caller named the record by its id.
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return super().get_object()
        model = self.get_queryset().model
        obj = get_object_or_404(model._base_manager.all(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj


class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = AppointmentSerializer
    queryset = Appointment.objects.all()
    required_perms = {
        "list": "post.view_appointment",
        "retrieve": "post.view_appointment",
        "current": "post.view_appointment",
        "create": "post.add_appointment",
        "sign": "post.sign_appointment",
        "renew": "post.renew_appointment",
        "handover": "post.handover_appointment",
        "remove": "post.remove_appointment",
        "withdraw": "post.withdraw_appointment",
        "letter_pdf": "post.export_appointment",
        "filing_pdf": "post.export_appointment",
        "filing_xlsx": "post.export_appointment",
        "filing_xlsx_all": "post.export_appointment",
    }

    def get_queryset(self) -> Any:
        return sel.appointments_visible(self.request.user).order_by("-effective_from", "-id")

    def _out(self, appointment: Appointment, code: int = status.HTTP_200_OK) -> Response:
        appointment.refresh_from_db()
        return Response(AppointmentSerializer(appointment).data, status=code)

    @extend_schema(request=AppointmentWriteSerializer, responses={201: AppointmentSerializer})
    def create(self, request: Request) -> Response:
        ser = AppointmentWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        created = S.appointment_create(actor=self.actor, **ser.validated_data)
        return self._out(created, status.HTTP_201_CREATED)

    @extend_schema(responses={200: AppointmentSerializer})
    @action(detail=False, methods=["get"])
    def current(self, request: Request) -> Response:
        appointment = sel.cqo_current()
        if appointment is None or not request.user.has_perm("post.view_appointment", appointment):
            return Response({"detail": None}, status=status.HTTP_404_NOT_FOUND)
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(request=PasswordSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        ser = PasswordSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        signed = S.appointment_sign(
            actor=self.actor, appointment=appointment, password=ser.validated_data["password"]
        )
        return self._out(signed)

    @extend_schema(request=RenewSerializer, responses={201: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        ser = RenewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        created = S.appointment_renew(
            actor=self.actor, appointment=appointment, **ser.validated_data
        )
        return self._out(created, status.HTTP_201_CREATED)

    @extend_schema(request=HandoverSerializer, responses={201: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def handover(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        ser = HandoverSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        created = S.appointment_handover(
            actor=self.actor, appointment=appointment, **ser.validated_data
        )
        return self._out(created, status.HTTP_201_CREATED)

    @extend_schema(request=RemoveSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        ser = RemoveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        removed = S.appointment_remove(
            actor=self.actor, appointment=appointment, **ser.validated_data
        )
        return self._out(removed)

    @extend_schema(request=ReasonSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        withdrawn = S.appointment_withdraw(
            actor=self.actor, appointment=appointment, **ser.validated_data
        )
        return self._out(withdrawn)

    @extend_schema(responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"], url_path="letter-pdf", renderer_classes=PDF_RENDERERS)
    def letter_pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The appointment letter (任命授权书) as PDF, with the principal's signature."""
        appointment = self.get_object()
        return _file(
            documents.letter_pdf(appointment, language=_lang()),
            "application/pdf",
            f"{appointment.number}-letter.pdf",
        )

    @extend_schema(responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"], url_path="filing-pdf", renderer_classes=PDF_RENDERERS)
    def filing_pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The filing record (备案) for the market regulator as PDF."""
        appointment = self.get_object()
        return _file(
            documents.filing_pdf(appointment, language=_lang()),
            "application/pdf",
            f"{appointment.number}-filing.pdf",
        )

    @extend_schema(responses=XLSX_RESPONSE)
    @action(detail=True, methods=["get"], url_path="filing-xlsx", renderer_classes=XLSX_RENDERERS)
    def filing_xlsx(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The filing record of this appointment as an Excel workbook."""
        appointment = self.get_object()
        return _file(
            documents.filing_xlsx([appointment], language=_lang()),
            XLSX,
            f"{appointment.number}-filing.xlsx",
            inline=False,
        )

    @extend_schema(operation_id="v1_post_appointments_filing_xlsx_all", responses=XLSX_RESPONSE)
    @action(
        detail=False,
        methods=["get"],
        url_path="filing-xlsx",
        url_name="filing-xlsx-all",
        renderer_classes=XLSX_RENDERERS,
    )
    def filing_xlsx_all(self, request: Request) -> HttpResponse:
        """The filing records of every signed appointment the caller may export."""
        rows = [
            a
            for a in self.get_queryset()
            .filter(signed_at__isnull=False, voided_at__isnull=True)
            .select_related("signature")
            .order_by("effective_from", "id")
            if request.user.has_perm("post.export_appointment", a)
        ]
        return _file(
            documents.filing_xlsx(rows, language=_lang()), XLSX, "cqo-filing.xlsx", inline=False
        )


class QualificationViewSet(_Base):
    """A person's qualification report, declarations and evidence; ``{id}`` is the person."""

    queryset = Person.objects.select_related("unit", "unit__enterprise")
    serializer_class = QualificationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    required_perms = {
        "retrieve": "post.view_qualification",
        "report_pdf": "post.view_qualification",
        "declare": "post.declare_disqualification",
        "evidence": "post.view_evidencedocument",
        "evidence_add": "post.add_evidencedocument",
    }

    def get_queryset(self) -> Any:
        return sel.people_visible_for_qualification(self.request.user)

    @extend_schema(responses={200: QualificationSerializer})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        return Response(qualification_check(person).as_dict())

    @extend_schema(responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"], url_path="report-pdf", renderer_classes=PDF_RENDERERS)
    def report_pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The qualification report (§5.1) as PDF: passes, warnings and blocks with evidence."""
        person = self.get_object()
        return _file(
            documents.qualification_pdf(person, language=_lang()),
            "application/pdf",
            f"qualification-{person.employee_no}.pdf",
        )

    @extend_schema(request=DeclareSerializer, responses={200: QualificationSerializer})
    @action(detail=True, methods=["post"])
    def declare(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        ser = DeclareSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        S.disqualification_declare(
            actor=self.actor,
            person=person,
            answers=ser.validated_data["declarations"],
            note=ser.validated_data["note"],
        )
        return Response(qualification_check(person).as_dict())

    # The whole list, unpaged: a person has a handful of documents. pagination_class=None makes
    # the schema say so too (it described a page, which the fuzz caught).
    @extend_schema(responses={200: EvidenceSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        return Response(
            EvidenceSerializer(
                sel.evidence_for(person), many=True, context={"request": request}
            ).data
        )

    @extend_schema(request=EvidenceSerializer, responses={201: EvidenceSerializer})
    @evidence.mapping.post
    def evidence_add(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        ser = EvidenceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        doc = S.evidence_add(actor=self.actor, person=person, **ser.validated_data)
        return Response(
            EvidenceSerializer(doc, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class EvidenceViewSet(_Base):
    """One document of evidence; ``{id}`` is the document. Listing and adding are per person,
    under ``qualification/{id}/evidence/``."""

    serializer_class = EvidenceSerializer
    queryset = EvidenceDocument.objects.select_related("person")
    required_perms = {
        "void": "post.void_evidencedocument",
        "file": "post.view_evidencedocument",
    }

    @extend_schema(request=ReasonSerializer, responses={200: EvidenceSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str | None = None) -> Response:
        """Void a document with a reason (it stays on record, marked void, §5.1)."""
        doc = self.get_object()
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        voided = S.evidence_void(actor=self.actor, evidence=doc, **ser.validated_data)
        return Response(EvidenceSerializer(voided, context={"request": request}).data)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment."
            ),
            404: OpenApiResponse(description="No file was uploaded for this document."),
        }
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, _AnyFileRenderer])
    def file(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        """The document's file, to those who may read the document (§5.1)."""
        doc = self.get_object()
        if not doc.file:
            return Response(
                {"detail": _("No file was uploaded for this document.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return file_response(doc.file)


class DevelopmentActionViewSet(_Base):
    """One action of a development plan; ``{id}`` is the action. Permission is asked on its
    assessment, as on the page."""

    serializer_class = ActionRowSerializer
    queryset = DevelopmentAction.objects.select_related("assessment", "assessment__person")
    perm_model = CompetenceAssessment
    required_perms = {"done": "post.change_competenceassessment"}

    def get_object(self) -> Any:
        row = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, row.assessment)
        return row

    @extend_schema(request=None, responses={200: ActionRowSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str | None = None) -> Response:
        """Mark the action done today (§5.2, §5.3)."""
        row = self.get_object()
        done = S.assessment_action_done(actor=self.actor, action=row)
        return Response(ActionRowSerializer(done).data)


class RuleSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = RuleSetSerializer
    queryset = QualificationRuleSet.objects.prefetch_related("rules")
    required_perms = {
        "list": "post.view_qualificationruleset",
        "retrieve": "post.view_qualificationruleset",
    }


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = AssessmentSerializer
    queryset = CompetenceAssessment.objects.all()
    required_perms = {
        "list": "post.view_competenceassessment",
        "retrieve": "post.view_competenceassessment",
        "create": "post.add_competenceassessment",
        "score": "post.score_competenceassessment",
        "plan": "post.change_competenceassessment",
        "complete": "post.complete_competenceassessment",
    }

    def get_queryset(self) -> Any:
        return sel.assessments_visible(self.request.user).prefetch_related("scores", "actions")

    @extend_schema(request=AssessmentSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request) -> Response:
        ser = AssessmentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        person = ser.validated_data["person"]
        self.check_object_permissions(request, person)
        created = S.assessment_create(
            actor=self.actor,
            person=person,
            assessed_on=ser.validated_data.get("assessed_on"),
            summary=ser.validated_data.get("summary", ""),
        )
        return Response(AssessmentSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScoresSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        ser = ScoresSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        S.assessment_score(actor=self.actor, assessment=assessment, **ser.validated_data)
        return Response(
            AssessmentSerializer(CompetenceAssessment.objects.get(pk=assessment.pk)).data
        )

    @extend_schema(request=ActionRowSerializer, responses={201: ActionRowSerializer})
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        ser = ActionRowSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = S.assessment_action_add(actor=self.actor, assessment=assessment, **ser.validated_data)
        return Response(ActionRowSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        S.assessment_complete(actor=self.actor, assessment=assessment)
        return Response(
            AssessmentSerializer(CompetenceAssessment.objects.get(pk=assessment.pk)).data
        )
