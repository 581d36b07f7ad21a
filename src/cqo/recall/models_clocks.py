"""The clocks part's records."""

from __future__ import annotations
