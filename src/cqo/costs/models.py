"""The app's records. Each part keeps its models in ``models_<part>.py``, imported here so that
Django finds them."""

from __future__ import annotations

from .models_fund import *  # noqa: F403
from .models_ledger import *  # noqa: F403
from .models_rewards import *  # noqa: F403
