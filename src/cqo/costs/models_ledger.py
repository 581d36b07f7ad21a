"""The ledger part's records."""

from __future__ import annotations
