"""The regime part's records."""

from __future__ import annotations
