"""Pages of the inspection app: SPC (§7.2.3.2) — a characteristic's control chart and its phase I
freeze, capability (page and PDF), the capability overview of the special characteristics
(Excel), the alarms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cqo.accounts.actors import actor_of
from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.views import GET_POST, check, errors_apply

from . import documents_spc, services_spc
from . import selectors_spc as sel
from .models import AlarmStatus, ChartKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


class FreezeForm(forms.Form):
    chart = forms.ChoiceField(label=gettext_lazy("Chart"), choices=ChartKind.choices)
    first = forms.IntegerField(label=gettext_lazy("From point"), min_value=1)
    last = forms.IntegerField(label=gettext_lazy("To point"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("Which period was stable, and how you know (§7.2.3.2)."),
    )


class AlarmNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def _characteristic(request: HttpRequest, pk: int) -> Any:
    check(request, "inspection.view_spc")
    return get_object_or_404(sel.spc_characteristics(request.user), pk=pk)


@login_required
@require_GET
def spc_index(request: HttpRequest) -> HttpResponse:
    """The variable characteristics, to open a chart; the special ones first."""
    check(request, "inspection.view_spc")
    qs = sel.spc_characteristics(request.user).order_by(
        "-special", "item__part_number", "sequence", "id"
    )
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(item__part_number__icontains=q)
            | Q(item__name__icontains=q)
            | Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(name_en__icontains=q)
        )
    if request.GET.get("special") == "1":
        qs = qs.filter(special=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspection/spc/index.html",
        {
            "page": page,
            "q": q,
            "special": request.GET.get("special") == "1",
            "open_alarms": sel.alarms_visible(request.user, status=AlarmStatus.OPEN).count(),
        },
    )


@login_required
@GET_POST
def spc_chart(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A characteristic's control chart, live from its measurements; a quality engineer freezes
    phase I limits here."""
    characteristic = _characteristic(request, pk)
    wanted = request.GET.get("chart", "")
    form = FreezeForm(request.POST or None)
    if request.method == "POST":
        check(request, "inspection.freeze_controllimits", characteristic)
        if form.is_valid():
            try:
                services_spc.control_limits_freeze(
                    actor=actor_of(request), characteristic=characteristic, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Phase I limits were frozen; later points are monitored against them."),
                )
                return redirect(
                    f"{request.path}?chart={form.cleaned_data['chart']}",
                )
        wanted = request.POST.get("chart", wanted)
    chart = sel.spc_chart(characteristic, wanted)
    if request.method != "POST":
        k = chart.k
        form = FreezeForm(
            initial={"chart": chart.chart, "first": 1 if k else None, "last": k or None}
        )
    payload = chart.as_json()
    payload["rule_texts"] = {r: str(t) for r, t in sel.RULE_TEXTS.items()}
    payload["words"] = {
        "point": _("Point"),
        "n": _("n"),
        "value": _("Value"),
        "centre": _("Centre line"),
        "ucl": _("UCL"),
        "lcl": _("LCL"),
        "flagged": _("Out of control"),
        "phase2": _("Monitored (phase II)"),
    }
    flags = chart.flags()
    recent_flags = [
        {"index": i + 1, "label": chart.labels[i], "rules": [sel.rule_text(t) for t in tokens]}
        for i, tokens in sorted(flags.items(), reverse=True)[:20]
    ]
    return render(
        request,
        "inspection/spc/chart.html",
        {
            "characteristic": characteristic,
            "chart": chart,
            "payload": payload,
            "kinds": sel.chart_kinds(),
            "form": form,
            "may_freeze": request.user.has_perm("inspection.freeze_controllimits", characteristic),
            "history": sel.limits_history(characteristic.pk)[:20],
            "recent_flags": recent_flags,
            "flag_count": len(flags),
            "alarms": sel.alarms_visible(request.user).filter(characteristic=characteristic)[:10],
        },
    )


@login_required
@require_GET
def spc_capability(request: HttpRequest, pk: int) -> HttpResponse:
    characteristic = _characteristic(request, pk)
    ctx = documents_spc.capability_context(characteristic, svg=False)
    ctx["histogram"] = {"histogram": sel.histogram(ctx["cap"]), "words": documents_spc.words()}
    return render(request, "inspection/spc/capability.html", ctx)


@login_required
@require_GET
def spc_capability_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    characteristic = _characteristic(request, pk)
    data = documents_spc.capability_pdf(characteristic, language=_lang())
    response = HttpResponse(data, content_type="application/pdf")
    name = f"capability-{characteristic.item.part_number}-{characteristic.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _overview(request: HttpRequest) -> tuple[list[Any], str]:
    check(request, "inspection.view_spc")
    sort = request.GET.get("sort", "cpk")
    if sort not in sel.SORTS:
        sort = "cpk"
    return sel.capability_overview(request.user, sort=sort), sort


@login_required
@require_GET
def spc_overview(request: HttpRequest) -> HttpResponse:
    """Capability of every special characteristic (★): Cpk below 1.33 amber, below 1.0 red."""
    rows, sort = _overview(request)
    return render(
        request,
        "inspection/spc/overview.html",
        {
            "rows": rows,
            "sort": sort,
            "red": sel.CPK_RED,
            "amber": sel.CPK_AMBER,
            "window": sel.CAPABILITY_SUBGROUPS,
        },
    )


def _num(value: float | None, digits: int = 3) -> float | str:
    return "" if value is None else round(float(value), digits)


@login_required
@require_GET
def spc_overview_xlsx(request: HttpRequest) -> HttpResponse:
    rows, _sort = _overview(request)
    wb = workbook_new()
    ws = wb.active
    ws.title = _("Capability")[:31]
    sheet_append(
        ws,
        [
            _("Part number"), pgettext("material", "Item"), _("Characteristic"), _("Name"), _("LSL"), _("USL"),
            _("Values"), _("Mean"), _("σ within"), _("σ overall"), "Cp", "Cpk",
            _("Cpk lower bound"), _("Cpk upper bound"), "Pp", "Ppk", _("Normal"), _("Status"),
        ],
    )  # fmt: skip
    english = _lang() == "en"
    for c in rows:
        ch = c.characteristic
        r = c.result
        low, high = (None, None) if r is None else r.intervals.get("cpk", (None, None))
        sheet_append(
            ws,
            [
                ch.item.part_number,
                (ch.item.name_en or ch.item.name) if english else ch.item.name,
                ch.code,
                (ch.name_en or ch.name) if english else ch.name,
                "" if ch.lsl is None else float(ch.lsl),
                "" if ch.usl is None else float(ch.usl),
                int(c.values.shape[0]),
                "" if r is None else _num(r.mean, 6),
                "" if r is None else _num(r.sigma_within, 6),
                "" if r is None else _num(r.sigma_overall, 6),
                "" if r is None else _num(r.cp),
                "" if r is None else _num(r.cpk),
                _num(low),
                _num(high),
                "" if r is None else _num(r.pp),
                "" if r is None else _num(r.ppk),
                "" if r is None or r.normality.normal is None else (
                    _("yes") if r.normality.normal else _("no")),
                documents_spc.tone_word(c.tone) if r is not None else (c.error or ""),
            ],
        )  # fmt: skip
    response = HttpResponse(xlsx_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="capability-overview.xlsx"'
    return response


@login_required
@require_GET
def spc_alarm_list(request: HttpRequest) -> HttpResponse:
    check(request, "inspection.view_spcalarm")
    status = request.GET.get("status", AlarmStatus.OPEN)
    qs = sel.alarms_visible(request.user, status=status if status != "all" else "")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspection/spc/alarm_list.html",
        {"page": page, "status": status, "statuses": AlarmStatus.choices},
    )


@login_required
@GET_POST
def spc_alarm_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "inspection.view_spcalarm")
    alarm = get_object_or_404(sel.alarms_visible(request.user), pk=pk)
    form = AlarmNoteForm(request.POST or None)
    if request.method == "POST":
        check(request, "inspection.handle_spcalarm", alarm)
        step = request.POST.get("step")
        service = {
            "acknowledge": services_spc.spc_alarm_acknowledge,
            "close": services_spc.spc_alarm_close,
        }.get(step or "")
        if service is None:
            form.add_error(None, _("Choose to acknowledge or to close the alarm."))
        elif form.is_valid():
            try:
                service(actor=actor_of(request), alarm=alarm, note=form.cleaned_data["note"])
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(
                    request,
                    _("The alarm was acknowledged.") if step == "acknowledge"
                    else _("The alarm was closed."),
                )  # fmt: skip
                return redirect("inspection:spc_alarm_detail", pk=alarm.pk)
    return render(
        request,
        "inspection/spc/alarm_detail.html",
        {
            "alarm": alarm,
            "rules": sel.alarm_rule_texts(alarm),
            "form": form,
            "may_handle": request.user.has_perm("inspection.handle_spcalarm", alarm),
        },
    )


urlpatterns: list[URLPattern] = [
    path("spc/", spc_index, name="spc_index"),
    path("spc/characteristics/<int:pk>/", spc_chart, name="spc_chart"),
    path("spc/characteristics/<int:pk>/capability/", spc_capability, name="spc_capability"),
    path(
        "spc/characteristics/<int:pk>/capability.pdf",
        spc_capability_pdf,
        name="spc_capability_pdf",
    ),
    path("spc/capability/", spc_overview, name="spc_overview"),
    path("spc/capability.xlsx", spc_overview_xlsx, name="spc_overview_xlsx"),
    path("spc/alarms/", spc_alarm_list, name="spc_alarm_list"),
    path("spc/alarms/<int:pk>/", spc_alarm_detail, name="spc_alarm_detail"),
]
