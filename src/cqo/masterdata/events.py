"""Events the domains publish about shared master data, so another domain can act on them
without importing the publisher (decision 0005). Each is a Django signal sent inside the
publisher's transaction; a receiver that must not run on a rolled-back change wraps its work in
``transaction.on_commit``.

``lot_rejected``      sender=None, inspection_lot=<the inspection record>, lot=<masterdata.Lot>,
                      actor=<User>: a usage decision rejected the lot at a gate (§6 e)); the
                      anomalies domain opens a nonconformance from it (§6 c)).
``inspection_failed`` sender=None, inspection_lot=..., lot=..., actor=...: a lot had results
                      beyond its acceptance number, whatever the decision turned out to be.
``spc_alarm_raised``  sender=None, alarm=<the alarm record>, characteristic=<Characteristic>:
                      a run rule fired on a monitored control chart (§7.2.3.2).
``lot_released``      sender=None, lot=..., actor=..., conditional=<bool>: the gate let a lot go.
"""

from __future__ import annotations

from django.dispatch import Signal

lot_rejected = Signal()
inspection_failed = Signal()
spc_alarm_raised = Signal()
lot_released = Signal()
