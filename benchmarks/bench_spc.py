"""A characteristic's SPC page with 10,000 subgroups (issue 9: ≤ 300 ms server time).

Builds, in the database of CQO_VAR_DIR / DATABASE_URL (migrated; run ``cqo migrate`` first), one
item with one characteristic and 10,000 inspection lots of 5 values each (50,000 measurements),
then measures in-process (Django's test client, no network): the chart computation alone and the
whole page, as wall time and CPU time, median and worst of the runs. Prints Markdown rows.

    CQO_VAR_DIR=/tmp/spcbench .venv/bin/python -m cqo migrate
    CQO_VAR_DIR=/tmp/spcbench .venv/bin/python benchmarks/bench_spc.py [--subgroups 10000]
    CQO_VAR_DIR=/tmp/spcbench .venv/bin/python benchmarks/bench_spc.py --characteristic PK
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subgroups", type=int, default=10_000)
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--characteristic", type=int, default=0, help="measure this one, build none"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from cqo.inspection import selectors_spc as sel
    from cqo.inspection.models import Measurement
    from cqo.testing.factories import member
    from cqo.testing.spc import SpcWorld, stable

    setup_test_environment()
    from django.contrib.auth import get_user_model

    from cqo.masterdata.models import Characteristic

    if args.characteristic:
        # Measure a characteristic built before (a second run, or the large demo's).
        characteristic = Characteristic.objects.get(pk=args.characteristic)
        user = get_user_model().objects.filter(is_superuser=False, is_active=True).first()
        if user is None or not user.has_perm("inspection.view_spc"):
            user = member(["quality_engineer"], username=f"spc-bench-{time.time_ns()}")
    else:
        user = member(["quality_engineer"], username=f"spc-bench-{time.time_ns()}")
        world = SpcWorld(user, special=True)
        started = time.perf_counter()
        for chunk in range(0, args.subgroups, 2000):
            k = min(2000, args.subgroups - chunk)
            world.add(stable(k, args.n, seed=chunk))
        print(
            f"built in {time.perf_counter() - started:.1f} s, characteristic {world.characteristic.pk}"
        )
        characteristic = world.characteristic
    count = Measurement.objects.filter(characteristic=characteristic).count()
    print(f"{count} values ({connection.vendor})")

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    url = reverse("inspection:spc_chart", args=[characteristic.pk])

    def measure(call: object) -> tuple[list[float], list[float]]:
        wall, cpu = [], []
        for _ in range(args.runs):
            w0, c0 = time.perf_counter(), time.process_time()
            call()  # type: ignore[operator]
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        return wall, cpu

    client.get(url)  # warm: templates, translations
    chart_wall, chart_cpu = measure(lambda: sel.spc_chart(characteristic))
    page_wall, page_cpu = measure(lambda: client.get(url))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    size = len(response.content)
    print("| what | median wall ms | worst wall ms | median CPU ms | queries | bytes |")
    print("|---|---|---|---|---|---|")
    print(
        f"| chart (selector) | {statistics.median(chart_wall):.0f} | {max(chart_wall):.0f} "
        f"| {statistics.median(chart_cpu):.0f} | | |"
    )
    print(
        f"| SPC page | {statistics.median(page_wall):.0f} | {max(page_wall):.0f} "
        f"| {statistics.median(page_cpu):.0f} | {len(queries)} | {size} |"
    )


if __name__ == "__main__":
    main()
