"""Pure quality-methods library (§7.1.5, §7.2.3.2 of DB50/T 1696).

This package must not import Django or any other part of ``cqo``; import-linter enforces it,
so the statistics can be used from a notebook, the command line and the web app alike.
"""
