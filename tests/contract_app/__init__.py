"""A domain app written against the contract alone, installed only under pytest.

It adds an approval kind ("mrb_disposition") about its own record, with its handlers and its
signed content, and makes that record vetoable, all from its own ``AppConfig.ready()`` and
models: nothing in ``authorities`` names it, and ``authorities`` needs no migration for it.
"""
