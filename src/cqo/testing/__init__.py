"""The test world: everything a test needs to set up, in one package every app's tests import.

- ``factories``: the organisation's factories (users with roles, enterprises, units, people,
  posts) and ``member`` (an account with roles and a person record).
- ``world``: a small enterprise with one user per role and a CQO appointment in force (``Org``),
  appointing and ending appointments, CQO candidates with evidence and declarations.
- ``matrix``: one member per role and an object of every kind a URL names (the permission
  matrix's world), every URL pattern of the project, and ``module_world`` to build such a world
  once per test module.

An app's tests import from here and from their own app, never from another app's ``tests``
package (``tests/test_test_imports.py`` holds that), so an app can move or grow its tests without
breaking anyone else's. Nothing outside tests imports this package.
"""
