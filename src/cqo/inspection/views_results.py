"""Pages of the inspection app: results part (results entry, the usage decision, concessions,
dispositions, photos and reports). Thin: parse, call the service, render."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.authorities.selectors import approvals_for_subject
from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, check, errors_apply, refusal_show
from cqo.masterdata.models import CharacteristicKind

from . import selectors_results as sel
from . import services_results as S
from .forms_results import (
    AttachmentForm,
    ConcessionForm,
    ConsentForm,
    DecideForm,
    DispositionForm,
    ImportForm,
    VoidResultForm,
)
from .models import Disposition, InspectionAttachment, InspectionLot, Measurement

VIEW_LOT = "inspection.view_inspectionlot"


def _lot(request: HttpRequest, pk: int) -> InspectionLot:
    ilot = get_object_or_404(sel.lots_visible(request.user), pk=pk)
    check(request, VIEW_LOT, ilot)
    return ilot


def _back(ilot: InspectionLot) -> str:
    return reverse("inspection:results_entry", args=[ilot.pk])


# --- the grid ---------------------------------------------------------------------------------


def _cell_rows(request: HttpRequest, grid: sel.Grid) -> list[dict[str, Any]]:
    """The results a grid posted: the script packs the typed cells into ``grid`` (JSON); without
    it, each cell is its own field (``v-<characteristic>-<unit>``)."""
    packed = request.POST.get("grid", "")
    if packed:
        try:
            posted = json.loads(packed)
        except ValueError:
            raise ValidationError(
                {"rows": _("The grid could not be read; reload the page.")}
            ) from None
        if not isinstance(posted, list):
            raise ValidationError({"rows": _("The grid could not be read; reload the page.")})
        return posted
    rows: list[dict[str, Any]] = []
    for column in grid.columns:
        char = column.characteristic
        instrument = request.POST.get(f"i-{char.pk}", "")
        for no in range(1, grid.sheet.rows + 1):
            typed = request.POST.get(f"v-{char.pk}-{no}", "").strip()
            if not typed:
                continue
            rows.append(
                cell_row(char.pk, char.kind, no, typed, request.POST.get(f"t-{char.pk}-{no}", ""),
                         instrument)
            )  # fmt: skip
    return rows


def cell_row(
    char_id: int, kind: str, no: int, typed: str, defect_type: str, instrument: str
) -> dict[str, Any]:
    row: dict[str, Any] = {"characteristic_id": char_id, "sample_no": no}
    if kind == CharacteristicKind.VARIABLE:
        row["value"] = typed
    elif typed.isdigit():
        row["defects"] = typed
    else:
        row["conforming"] = typed
    if defect_type.strip():
        row["defect_type"] = defect_type.strip()
    if instrument:
        row["instrument_id"] = instrument
    return row


@login_required
@GET_POST
def results_entry(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The results grid of one inspection lot: sample units down, characteristics across."""
    ilot = _lot(request, pk)
    grid = sel.grid_of(ilot)
    errors: list[str] = []
    if request.method == "POST":
        check(request, "inspection.add_measurement", ilot)
        try:
            rows = _cell_rows(request, grid)
            if not rows:
                raise ValidationError({"rows": _("Type at least one result before saving.")})
            saved = S.results_record(
                actor=actor_of(request),
                inspection_lot=ilot,
                rows=rows,
                reason=request.POST.get("reason", ""),
                correction_reason=request.POST.get("correction_reason", ""),
            )
        except ValidationError as exc:
            errors = exc.messages
            try:
                sel.grid_overlay(grid, json.loads(request.POST.get("grid", "") or "[]"))
            except ValueError:
                pass
        except PermissionDenied as exc:
            refusal_show(request, exc)
            return redirect(_back(ilot))
        else:
            messages.success(
                request,
                _("%(n)d results saved, %(bad)d out of specification.")
                % {"n": len(saved.created), "bad": saved.nonconforming},
            )
            return redirect(_back(ilot))
    return render(
        request,
        "inspection/results/results_entry.html",
        {
            "ilot": ilot,
            "lot": ilot.lot,
            "grid": grid,
            "errors": errors,
            "posted": request.POST if errors else {},
            "may_record": request.user.has_perm("inspection.add_measurement", ilot)
            and ilot.status != "decided",
            "import_form": ImportForm(),
            "attachment_form": AttachmentForm(),
            "void_form": VoidResultForm(),
            "attachments": sel.attachments_of(ilot),
            "tally": sel.lot_tally(ilot),
        },
    )


@login_required
@require_POST
def results_import(request: HttpRequest, pk: int) -> HttpResponse:
    ilot = _lot(request, pk)
    check(request, "inspection.add_measurement", ilot)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
        return redirect(_back(ilot))
    try:
        saved = S.results_import(
            actor=actor_of(request),
            inspection_lot=ilot,
            file=form.cleaned_data["file"],
            reason=form.cleaned_data["reason"],
            correction_reason=form.cleaned_data["correction_reason"],
        )
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request,
            _("%(n)d results imported, %(bad)d out of specification.")
            % {"n": len(saved.created), "bad": saved.nonconforming},
        )
    return redirect(_back(ilot))


@login_required
@require_GET
def results_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A workbook to fill in: one row per characteristic and sample unit of the lot, with the
    results already recorded and the instrument the grid would default to."""
    ilot = _lot(request, pk)
    grid = sel.grid_of(ilot)
    wb = workbook_new()
    ws = wb.active
    sheet_append(ws, S.import_headers())
    numbers = {i.pk: i.number for col in grid.columns for i in col.instruments}
    for no, cells in grid.rows:
        for column, cell in zip(grid.columns, cells, strict=True):
            if not cell.enabled and cell.measurement is None:
                continue
            variable = column.variable
            sheet_append(
                ws,
                [
                    column.characteristic.code,
                    no,
                    Decimal(cell.value) if variable and cell.value else None,
                    int(cell.value) if not variable and cell.value else None,
                    cell.defect_type,
                    numbers.get(column.instrument_id or 0, ""),
                ],
            )
    response = HttpResponse(
        xlsx_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="results-{ilot.pk}.xlsx"'
    return response


@login_required
@require_POST
def result_void(request: HttpRequest, pk: int) -> HttpResponse:
    ilot = _lot(request, pk)
    check(request, "inspection.void_measurement", ilot)
    form = VoidResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the characteristic and the sample unit, and say why."))
        return redirect(_back(ilot))
    measurement = Measurement.objects.filter(
        inspection_lot=ilot,
        characteristic_id=form.cleaned_data["characteristic"],
        sample_no=form.cleaned_data["sample_no"],
        voided_at__isnull=True,
    ).first()
    if measurement is None:
        messages.error(request, _("That sample unit has no result to void."))
        return redirect(_back(ilot))
    try:
        S.measurement_void(
            actor=actor_of(request), measurement=measurement, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The result was voided; enter the right one."))
    return redirect(_back(ilot))


# --- photos and reports ----------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    ilot = _lot(request, pk)
    check(request, "inspection.add_inspectionattachment", ilot)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
        return redirect(_back(ilot))
    try:
        S.attachment_add(
            actor=actor_of(request),
            inspection_lot=ilot,
            file=form.cleaned_data["file"],
            name=form.cleaned_data["name"],
        )
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The file was attached."))
    return redirect(_back(ilot))


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(InspectionAttachment, pk=pk, voided_at__isnull=True)
    _lot(request, attachment.inspection_lot_id)
    check(request, "inspection.view_inspectionattachment", attachment)
    return file_response(attachment.file, filename=attachment.name)


# --- the usage decision, concessions and dispositions ---------------------------------------------


def decision_context(
    user: Any, ilot: InspectionLot, form: DecideForm | None = None
) -> dict[str, Any]:
    """What ``inspection/results/_decision.html`` shows; the lot's page reaches it through the
    ``results_decision`` tag."""
    undecided = ilot.status != "decided"
    rejected = ilot.decision in ("reject", "conditional")
    return {
        "tally": sel.lot_tally(ilot),
        "decide_form": form if form is not None else DecideForm(),
        "may_decide": undecided and user.has_perm("inspection.decide_inspectionlot", ilot),
        "may_raise": ilot.decision == "reject" and user.has_perm("inspection.add_concession", ilot),
        "may_dispose": rejected and user.has_perm("inspection.add_disposition", ilot),
        "disposition_form": DispositionForm(),
        "concessions": sel.concessions_visible(user).filter(inspection_lot=ilot),
        "dispositions": sel.dispositions_visible(user).filter(
            inspection_lot=ilot, voided_at__isnull=True
        ),
    }


@login_required
@GET_POST
def lot_decision(request: HttpRequest, pk: int) -> HttpResponseBase:
    ilot = _lot(request, pk)
    form = DecideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        check(request, "inspection.decide_inspectionlot", ilot)
        if form.is_valid():
            try:
                S.inspection_lot_decide(
                    actor=actor_of(request), inspection_lot=ilot, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                refusal_show(request, exc)
                return redirect("inspection:lot_decision", pk=ilot.pk)
            else:
                messages.success(request, _("The usage decision was recorded."))
                return redirect("inspection:lot_decision", pk=ilot.pk)
    decision = decision_context(request.user, ilot, form=form)
    return render(
        request,
        "inspection/results/decision.html",
        {"ilot": ilot, "lot": ilot.lot, "decision": decision, "tally": decision["tally"]},
    )


@login_required
@GET_POST
def concession_raise(request: HttpRequest, pk: int) -> HttpResponseBase:
    ilot = _lot(request, pk)
    check(request, "inspection.add_concession", ilot)
    form = ConcessionForm(request.POST or None, initial={"quantity": ilot.lot.quantity})
    if request.method == "POST" and form.is_valid():
        try:
            concession = S.concession_raise(
                actor=actor_of(request), inspection_lot=ilot, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The concession was sent to the CQO for approval (§6 c))."))
            return redirect("inspection:concession_detail", pk=concession.pk)
    return render(
        request,
        "inspection/results/concession_form.html",
        {"ilot": ilot, "lot": ilot.lot, "form": form, "tally": sel.lot_tally(ilot)},
    )


@login_required
@GET_POST
def concession_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    concession = get_object_or_404(sel.concessions_visible(request.user), pk=pk)
    check(request, "inspection.view_concession", concession)
    ilot = concession.inspection_lot
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        check(request, "inspection.add_concession", ilot)
        if form.is_valid():
            try:
                S.concession_consent_record(
                    actor=actor_of(request),
                    concession=concession,
                    customer_consent=form.cleaned_data["customer_consent"],
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The customer's consent was recorded."))
                return redirect("inspection:concession_detail", pk=concession.pk)
    return render(
        request,
        "inspection/results/concession_detail.html",
        {
            "concession": concession,
            "ilot": ilot,
            "lot": ilot.lot,
            "tally": sel.lot_tally(ilot),
            "form": form,
            "may_consent": concession.status == "submitted"
            and request.user.has_perm("inspection.add_concession", ilot),
            "approvals": approvals_for_subject(concession),
            "attachments": sel.attachments_of(ilot),
        },
    )


@login_required
@require_POST
def disposition_add(request: HttpRequest, pk: int) -> HttpResponse:
    ilot = _lot(request, pk)
    check(request, "inspection.add_disposition", ilot)
    form = DispositionForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
    else:
        try:
            S.disposition_record(actor=actor_of(request), inspection_lot=ilot, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("The disposition was recorded."))
    return redirect("inspection:lot_decision", pk=ilot.pk)


@login_required
@require_POST
def disposition_void(request: HttpRequest, pk: int) -> HttpResponse:
    disposition = get_object_or_404(Disposition, pk=pk)
    ilot = _lot(request, disposition.inspection_lot_id)
    check(request, "inspection.void_disposition", disposition)
    try:
        S.disposition_void(
            actor=actor_of(request), disposition=disposition, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The disposition was voided."))
    return redirect("inspection:lot_decision", pk=ilot.pk)


urlpatterns: list[URLPattern] = [
    path("lots/<int:pk>/results/", results_entry, name="results_entry"),
    path("lots/<int:pk>/results/import/", results_import, name="results_import"),
    path("lots/<int:pk>/results/template.xlsx", results_template, name="results_template"),
    path("lots/<int:pk>/results/void/", result_void, name="result_void"),
    path("lots/<int:pk>/attachments/", attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", attachment_file, name="attachment_file"),
    path("lots/<int:pk>/decision/", lot_decision, name="lot_decision"),
    path("lots/<int:pk>/concession/", concession_raise, name="concession_raise"),
    path("concessions/<int:pk>/", concession_detail, name="concession_detail"),
    path("lots/<int:pk>/dispositions/", disposition_add, name="disposition_add"),
    path("dispositions/<int:pk>/void/", disposition_void, name="disposition_void"),
]
