"""Events the post sends to apps above it, which it must not import (the charter, §4.2)."""

from django.dispatch import Signal

# Sent inside the service's transaction when an appointment takes or loses effect; arguments:
# ``reason`` (text in the actor's language), ``actor`` and, when a renewal was signed,
# ``continues_post=True`` (the same CQO goes on: the charter need not go out of date).
appointment_changed = Signal()
