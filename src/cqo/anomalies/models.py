"""The app's records. Each part keeps its models in ``models_<part>.py``, imported here so that
Django finds them."""

from __future__ import annotations

from .models_capa import *  # noqa: F403
from .models_complaints import *  # noqa: F403
from .models_costs import *  # noqa: F403
from .models_mrb import *  # noqa: F403
from .models_ncr import *  # noqa: F403
from .models_scar import *  # noqa: F403
