"""One user's dashboard measured in-process: CPU time and SQL queries per request, no server.

Run by ``bench_web.py`` on the data set it has just built (same CQO_VAR_DIR / DATABASE_URL), so
the latency under load can be told apart from what one request costs: the queue in front of two
cores is not the request's own work. Prints one Markdown row.

    CQO_VAR_DIR=... .venv/bin/python benchmarks/dashboard_inprocess.py [--user cqo] [--requests 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="cqo")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client needs it; the database is the one just built
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(get_user_model().objects.get(username=args.user))
    client.get("/")  # warm: templates, translations, URL resolver
    wall: list[float] = []
    cpu: list[float] = []
    queries: list[int] = []
    for _ in range(args.requests):
        with CaptureQueriesContext(connection) as ctx:
            w0, c0 = time.perf_counter(), time.process_time()
            response = client.get("/")
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        assert response.status_code == 200, response.status_code
        queries.append(len(ctx.captured_queries))
    ms = 1000.0
    print(
        f"| dashboard GET in-process as {args.user!r} (Django test client, {args.requests} requests) "
        f"| {statistics.median(wall) * ms:.1f} ms wall, {statistics.median(cpu) * ms:.1f} ms CPU "
        f"| {max(queries)} SQL queries |"
    )


if __name__ == "__main__":
    main()
