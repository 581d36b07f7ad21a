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
``anomaly_requested`` another domain (incidents, audits, complaints) asks the anomalies domain to
                      open a nonconformance report (§6 c)). Keyword arguments:
                      ``source`` ("complaint", "audit", "incident" or "manual"), ``source_ref``
                      (the asking record's number, up to 80 characters: the same source and
                      reference give back the same NCR), ``title`` (required), and optionally
                      ``description``, ``source_url`` (the asking record's page), ``actor`` (the
                      user who caused it, or None), ``item``, ``supplier``, ``customer``,
                      ``work_centre`` (master-data records), ``unit`` (organisation.Unit),
                      ``lots`` (a list of masterdata.Lot; a voided lot is refused),
                      ``quantity`` (Decimal), ``found_at`` ("iqc", "ipqc", "oqc", "customer",
                      "field", "audit", "other"), ``found_on`` (a date), ``defect_class``
                      ("CR", "MA", "MI"), ``owner`` (a user). Send it inside the asking
                      transaction; ``send()`` answers ``[(receiver, ncr)]``: the NCR has
                      ``.pk``, ``.number`` and ``.get_absolute_url()``, so the sender keeps the
                      link without importing the anomalies app. Bad input raises
                      ``ValidationError`` naming the field.
``recall_requested``  another domain (complaints, incidents) asks the recall domain to open a
                      recall case led by the CQO (§7.2.1.4). Keyword arguments: ``actor`` (the
                      user asking; the receiver checks that the user may open a recall),
                      ``source`` ("complaint", "incident", "ncr", "regulator" or "other"),
                      ``source_ref`` (the asking record's number, up to 80 characters: the same
                      source and reference give back the same open case), ``title`` (required),
                      and optionally ``description``, ``source_url``, ``item``
                      (masterdata.Item), ``lots`` (a list of masterdata.Lot: the suspect lots
                      the forward trace starts from), ``signal_on`` (a date: the day the
                      signal reached the enterprise; the regulator's clocks run from it; today
                      when not given). Send it inside the asking transaction;
                      ``send()`` answers ``[(receiver, case)]``: the case has ``.pk``,
                      ``.number`` and ``.get_absolute_url()``. Bad input raises
                      ``ValidationError`` naming the field; a user who may not open a recall,
                      ``PermissionDenied``.
"""

from __future__ import annotations

from django.dispatch import Signal

lot_rejected = Signal()
inspection_failed = Signal()
spc_alarm_raised = Signal()
lot_released = Signal()
anomaly_requested = Signal()
recall_requested = Signal()
