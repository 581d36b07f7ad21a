"""In-process part of the traceability benchmark (bench_genealogy.py runs it).

    genealogy_inprocess.py build LINKS     migrate, then build the large genealogy only
    genealogy_inprocess.py measure ...     time the traces (see bench_genealogy.py)

Run with DJANGO_SETTINGS_MODULE=cqo.settings and DATABASE_URL / CQO_VAR_DIR naming the
benchmark database. Prints one JSON line last.
"""

from __future__ import annotations

import json
import sys
import time

import django


def build(links: int) -> dict[str, object]:
    """Add plants of a million links (each committed on its own) until ``links`` are there:
    a build stopped half-way keeps the plants it finished, and a second run goes on."""
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from cqo.accounts.models import User
    from cqo.masterdata.demo_genealogy_large import PLANT_LINKS, genealogy_plant_build
    from cqo.masterdata.models import GenealogyFeed, LotLink

    user, _ = User.objects.get_or_create(username="genealogy-bench")
    t0 = time.monotonic()
    done = LotLink.objects.count()
    plant = GenealogyFeed.objects.filter(source="demo").values("reference").count() and (
        len(
            {
                r.split()[1]
                for r in GenealogyFeed.objects.filter(source="demo").values_list(
                    "reference", flat=True
                )
            }
        )
    )
    while done < links:
        with transaction.atomic():
            built = genealogy_plant_build(
                actor=user, plant=plant, links=PLANT_LINKS, seed=20241108 + plant,
                progress=lambda s: print(s, flush=True),
            )  # fmt: skip
        done += built.links
        print(f"plant {plant} committed: {done:,} links in all", flush=True)
        plant += 1
    return {"links": done, "seconds": round(time.monotonic() - t0, 1)}


def main() -> None:
    django.setup()
    if sys.argv[1] == "build":
        out = build(int(sys.argv[2]))
    else:
        raise SystemExit(f"unknown step {sys.argv[1]}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
