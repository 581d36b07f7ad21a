"""The app's records. Each part keeps its models in ``models_<part>.py``, imported here so that
Django finds them."""

from __future__ import annotations

from .models_case import *  # noqa: F403
from .models_clocks import *  # noqa: F403
