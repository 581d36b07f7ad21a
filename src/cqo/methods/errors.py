"""Errors the methods library raises for bad input.

Every message names what is wrong (row, column, parameter) so that the command line can print it
as it is and exit with status 2, and the web app can show it beside the offending field.
"""

from __future__ import annotations


class MethodsInputError(ValueError):
    """Input the methods cannot use: the message is meant for the user, not a traceback."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.row = row
        self.column = column
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)
