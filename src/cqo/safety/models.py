"""The app's records. Each part keeps its models in ``models_<part>.py``, imported here so that
Django finds them."""

from __future__ import annotations

from .models_regime import *  # noqa: F403
from .models_registers import *  # noqa: F403
