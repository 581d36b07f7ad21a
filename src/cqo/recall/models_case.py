"""The case part's records."""

from __future__ import annotations
