"""The in-process half of ``bench_inspection.py``: runs inside the benchmark's database (the
driver passes its environment) and prints one JSON object.

    info   what the driver needs: the supplier with the most lots, the SPC characteristic, which
           parts of the inspection app are on this tree
    spc    the SPC page of the characteristic with 10,000 subgroups through Django's test
           client: wall and CPU time of each request, SQL queries
    save   a lot of 315 samples x 10 characteristics recorded by ``results_record`` (one call,
           committed), timed
    api    lots ready for an API bulk post of 10,000 results and a token to post them with

The benchmark lots and their item are new records each run (a scratch database).
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cqo.accounts.models import User  # noqa: E402


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def info() -> dict[str, Any]:
    from cqo.inspection.models import InspectionLot, Measurement
    from cqo.masterdata.models import Characteristic

    top = (
        InspectionLot.objects.filter(supplier__isnull=False)
        .values("supplier_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    spc = Characteristic.objects.filter(item__part_number="YJP-GT-150", code="D01").first()
    subgroups = (
        Measurement.objects.filter(characteristic=spc)
        .values("inspection_lot_id")
        .distinct()
        .count()
        if spc
        else 0
    )
    return {
        "lots": InspectionLot.objects.count(),
        "measurements": Measurement.objects.count(),
        "supplier": top["supplier_id"] if top else None,
        "supplier_lots": top["n"] if top else 0,
        "lot_list": _url("inspection:lot_list"),
        "spc_pk": spc.pk if spc else None,
        "spc_subgroups": subgroups,
        "spc_chart": _url("inspection:spc_chart", spc.pk) if spc else None,
        "results_service": _has("cqo.inspection.services_results"),
        "bulk_api": _url("api:inspection:result-bulk"),
    }


def spc(requests: int) -> dict[str, Any]:
    data = info()
    if not data["spc_chart"]:
        return {"skip": "the SPC chart page (inspection:spc_chart) is not on this tree"}
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's host in; the database is the benchmark's
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="qe1"))
    walls, cpus, queries, status = [], [], 0, 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            w0, c0 = time.perf_counter(), time.process_time()
            response = client.get(data["spc_chart"])
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
        queries, status = len(ctx.captured_queries), response.status_code
    return {
        "status": status, "subgroups": data["spc_subgroups"], "queries": queries,
        "wall_ms_median": statistics.median(walls) * 1000, "wall_ms_max": max(walls) * 1000,
        "cpu_ms_median": statistics.median(cpus) * 1000, "requests": requests,
    }  # fmt: skip


def _benchmark_lots(count: int, chars: int = 10) -> tuple[list[Any], list[Any], Any]:
    """``count`` open receipts of a new item with ``chars`` measured characteristics, each drawn
    with n = 315 (GB/T 2828.1 level II, code letter M: lots of 10,001 to 35,000)."""
    from cqo.inspection import services_lots
    from cqo.inspection.models import (
        InspectionPlan,
        PlanCharacteristic,
        PlanSampling,
        PlanStatus,
        SamplingMethod,
    )  # fmt: skip
    from cqo.masterdata import services as md
    from cqo.masterdata.models import Instrument, Supplier

    qe, cqo = User.objects.get(username="qe1"), User.objects.get(username="cqo")
    inspector = User.objects.get(username="inspector1")
    stamp = timezone.now().strftime("%H%M%S%f")
    with transaction.atomic():
        item = md.item_create(actor=qe, part_number=f"BENCH-{stamp}", name="基准测试件",
                              kind="part")  # fmt: skip
        characteristics = [
            md.characteristic_create(
                actor=qe, item=item, code=f"D{i:02d}", name=f"尺寸 {i}", kind="variable",
                defect_class="MA", nominal=Decimal("10.000"), lsl=Decimal("9.950"),
                usl=Decimal("10.050"), unit="mm",
            )
            for i in range(1, chars + 1)
        ]  # fmt: skip
        supplier = Supplier.objects.filter(status="qualified").order_by("code").first()
        md.approved_supplier_add(actor=qe, item=item, supplier=supplier)
        plan = InspectionPlan.objects.create(
            item=item, gate="iqc", status=PlanStatus.APPROVED, owner=qe, approved_by=cqo,
            approved_at=timezone.now(),
        )  # fmt: skip
        PlanSampling.objects.create(plan=plan, defect_class="MA", method=SamplingMethod.GBT2828,
                                    level="II", aql="0.65")  # fmt: skip
        PlanCharacteristic.objects.bulk_create(
            [
                PlanCharacteristic(plan=plan, characteristic=c, sequence=i)
                for i, c in enumerate(characteristics)
            ]
        )
    lots = [
        services_lots.receipt_create(
            actor=inspector,
            item=item,
            supplier=supplier,
            supplier_batch=f"B{stamp}-{k}",
            quantity=20000,
            arrived_on=datetime.date.today(),
        )
        for k in range(count)
    ]
    instrument = Instrument.objects.filter(instrument_type="外径千分尺").first()
    return lots, characteristics, instrument


def _rows(lot: Any, characteristics: list[Any], instrument: Any, limit: int | None = None,
          with_lot: bool = False) -> list[dict[str, Any]]:  # fmt: skip
    import random

    rng = random.Random(lot.pk)
    n = lot.samplings.get(defect_class="MA").n
    rows = []
    for ch in characteristics:
        for no in range(1, n + 1):
            row = {"characteristic_id": ch.pk, "sample_no": no,
                   "value": f"{rng.gauss(10.0, 0.01):.4f}",
                   "instrument_id": instrument.pk if instrument else None}  # fmt: skip
            if with_lot:
                row["inspection_lot"] = lot.pk
            rows.append(row)
    return rows[:limit]


def save() -> dict[str, Any]:
    if not _has("cqo.inspection.services_results"):
        return {"skip": "the results service (cqo.inspection.services_results) is not on this tree"}
    from cqo.inspection import services_results

    (lot,), characteristics, instrument = _benchmark_lots(1)
    rows = _rows(lot, characteristics, instrument)
    inspector = User.objects.get(username="inspector1")
    w0, c0 = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as ctx:
        services_results.results_record(actor=inspector, inspection_lot=lot, rows=rows)
    return {
        "rows": len(rows), "n": lot.samplings.get(defect_class="MA").n,
        "wall_ms": (time.perf_counter() - w0) * 1000, "cpu_ms": (time.process_time() - c0) * 1000,
        "queries": len(ctx.captured_queries),
    }  # fmt: skip


def api(results: int) -> dict[str, Any]:
    data = info()
    if not data["bulk_api"] or not data["results_service"]:
        return {"skip": "the results API (api:inspection:result-bulk) is not on this tree"}
    from knox.models import AuthToken

    per_lot = 315 * 10
    lots, characteristics, instrument = _benchmark_lots(-(-results // per_lot))
    rows: list[dict[str, Any]] = []
    for lot in lots:
        rows += _rows(lot, characteristics, instrument, with_lot=True)
    _instance, token = AuthToken.objects.create(User.objects.get(username="inspector1"))
    return {"url": data["bulk_api"], "token": token, "rows": rows[:results]}


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "info"
    if what == "info":
        out = info()
    elif what == "spc":
        out = spc(int(sys.argv[2]) if len(sys.argv) > 2 else 10)
    elif what == "save":
        out = save()
    elif what == "api":
        out = api(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    else:
        raise SystemExit(f"unknown: {what}")
    print(json.dumps(out, ensure_ascii=False, default=str))
