"""Signals inside the inspection app, so its parts (results, switching, the gate, SPC) hear each
other without one module importing every other. Other domains listen to
``cqo.masterdata.events`` instead.

``results_recorded``  sender=None, inspection_lot=..., characteristic_ids=set[int], actor=...:
                      results were saved (SPC evaluates the monitored charts; sent on commit).
``lot_decided``       sender=None, inspection_lot=..., actor=...: a usage decision was made
                      (inside the deciding transaction).
"""

from __future__ import annotations

from django.dispatch import Signal

results_recorded = Signal()
lot_decided = Signal()
