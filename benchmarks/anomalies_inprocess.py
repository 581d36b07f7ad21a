"""The in-process half of ``bench_anomalies.py``: runs inside the benchmark's database (the
driver passes its environment) and prints one JSON object.

    info        what the driver needs: counts, the NCR list's address with its filters (the item
                with the most open NCRs), which parts of the app are on this tree
    extend      adds the large demo's year of NCRs to a database built before the NCRs existed
                (a large inspection demo kept from an earlier run); nothing when they are there
    pareto N    the Pareto of a year of defects (``selectors_analysis.pareto_by``) N times:
                wall and CPU time, SQL queries; then the analysis page through the test client
    list N      the NCR list with the driver's filters through the test client, N times: wall
                and CPU time per request (the machine is shared: CPU time is what we cost)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from cqo.accounts.models import User  # noqa: E402

AGE = "90"  # the list's age filter: NCRs raised 31 to 90 days ago


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _list_path() -> tuple[str | None, dict[str, Any]]:
    from cqo.anomalies.models import OPEN_STATUSES, Anomaly

    base = _url("anomalies:ncr_list")
    top = (
        Anomaly.objects.filter(voided_at__isnull=True, status__in=OPEN_STATUSES)
        .values("item_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if base is None or top is None:
        return None, {}
    path = f"{base}?status=open_any&item={top['item_id']}&age={AGE}"
    return path, {"item": top["item_id"], "item_open": top["n"]}


def info() -> dict[str, Any]:
    from cqo.anomalies.models import Anomaly, AnomalyDefect

    path, extra = _list_path()
    return {
        "ncrs": Anomaly.objects.count(),
        "defects": AnomalyDefect.objects.count(),
        "open": Anomaly.objects.exclude(status="closed").count(),
        "list": path,
        "analysis": _url("anomalies:analysis"),
        **extra,
    }


def extend() -> dict[str, Any]:
    from cqo.anomalies import demo_year
    from cqo.anomalies.models import Anomaly

    before = Anomaly.objects.count()
    if before >= demo_year.LARGE.ncrs * 0.9:
        return {"added": 0, "ncrs": before}
    w0, c0 = time.perf_counter(), time.process_time()
    added = demo_year.year_extend(scale="large")
    return {
        "added": added,
        "ncrs": Anomaly.objects.count(),
        "wall_s": time.perf_counter() - w0,
        "cpu_s": time.process_time() - c0,
    }


def _timed(fn: Callable[[], Any], n: int) -> dict[str, Any]:
    walls, cpus, queries = [], [], 0
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
        queries = len(ctx.captured_queries)
    walls_sorted = sorted(walls)
    return {
        "n": n,
        "queries": queries,
        "wall_ms_median": statistics.median(walls) * 1000,
        "wall_ms_p95": walls_sorted[min(n - 1, round(0.95 * (n - 1)))] * 1000,
        "wall_ms_max": max(walls) * 1000,
        "cpu_ms_median": statistics.median(cpus) * 1000,
    }


def _client(username: str) -> Client:
    setup_test_environment()  # lets the test client's host in; the database is the benchmark's
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Client, path: str) -> int:
    response = client.get(path)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return int(response.status_code)


def pareto(n: int) -> dict[str, Any]:
    from cqo.anomalies import selectors_analysis as sel

    user = User.objects.get(username="cqo")
    result: dict[str, Any] = {}
    data = sel.pareto_by(user, by="defect", months=12)
    result["categories"] = len(data.rows)
    result["total"] = data.result.total if data.result else 0
    result["selector"] = _timed(lambda: sel.pareto_by(user, by="defect", months=12), n)
    client = _client("cqo")
    statuses: set[int] = set()
    page = f"{reverse('anomalies:analysis')}?months=12&by=defect"
    result["page"] = _timed(lambda: statuses.add(_get(client, page)), max(3, n // 3))
    result["page"]["status"] = sorted(statuses)
    result["page"]["path"] = page
    return result


def ncr_list(n: int) -> dict[str, Any]:
    path, extra = _list_path()
    if path is None:
        return {"skip": "the NCR list (anomalies:ncr_list) is not on this tree, or no open NCR"}
    client = _client("qe1")
    statuses: set[int] = set()
    result = _timed(lambda: statuses.add(_get(client, path)), n)
    return {**result, "status": sorted(statuses), "path": path, **extra}


def main() -> None:
    command = sys.argv[1]
    arg = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    out = {"info": info, "extend": extend}.get(command)
    if out is not None:
        print(json.dumps(out(), default=str))
    elif command == "pareto":
        print(json.dumps(pareto(arg), default=str))
    elif command == "list":
        print(json.dumps(ncr_list(arg), default=str))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
