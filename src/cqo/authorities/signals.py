"""Events the authorities send to apps above them, which they must not import (the charter)."""

from django.dispatch import Signal

# Sent inside the service's transaction when a delegation is made or ends; arguments: ``reason``
# (text in the actor's language) and ``actor``.
delegation_changed = Signal()
