"""Signals inside the anomalies app, between its parts.

``anomaly_raised``  sender=None, anomaly=<Anomaly>, actor=<User or None>: an NCR was raised with
                    its lots and defects (sent by the NCR core's raise, inside its transaction);
                    CAPA looks for a repeat of a closed CAPA's defect on the same item.
"""

from __future__ import annotations

from django.dispatch import Signal

anomaly_raised = Signal()
