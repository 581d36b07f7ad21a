"""The CQO platform: the enterprise Chief Quality Officer post as DB50/T 1696-2024 describes it."""

__version__ = "0.1.0"
