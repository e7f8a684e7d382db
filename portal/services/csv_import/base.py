"""What every kind of import shares: row errors, per-row cell checks, the checker protocol."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

from portal.services.csv_import.cells import CellProblem
from portal.services.csv_import.parse import Row


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


class RowCheck:
    """Collects every problem of one row (not only the first) while reading its cells."""

    def __init__(self, row: Row):
        self.row = row
        self.errors: list[RowError] = []
        if row.extra:
            self.fail("", _("this line has more cells than the header has columns"))

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.row.line, column, reason))

    def raw(self, column: str) -> str:
        return self.row.cells.get(column, "")

    def get(self, column: str, parser, *args, default=None):
        """The parsed cell, or `default` when the column is absent or the cell empty."""
        value = self.raw(column)
        if value == "":
            return default
        try:
            return parser(value, *args)
        except CellProblem as exc:
            self.fail(column, str(exc))
            return None

    def need(self, column: str, parser, *args):
        if self.raw(column) == "":
            self.fail(column, _("required"))
            return None
        return self.get(column, parser, *args)

    @property
    def ok(self) -> bool:
        return not self.errors


class Checker:
    """Checks rows chunk by chunk; keeps what it saw to find duplicates across chunks.

    `remember(row)` registers a row's keys without checking it: a later request replays the
    rows already checked (reading only `key_columns`) so that the next chunk still sees their
    duplicates. What can only be decided once the whole file is read (a replacement SKU that
    comes later in the file) waits in `carry`, a small JSON-able dict kept between requests,
    and is settled by `final_errors()`.
    """

    key_columns: tuple[str, ...] = ()

    def __init__(self):
        self.carry: dict = {}

    def final_errors(self) -> list[RowError]:
        """Problems known only at the end of the file; every row was remembered by then."""
        return []

    def remember(self, row: Row) -> None:
        raise NotImplementedError

    def check(self, rows: list[Row]) -> tuple[list[RowError], list, Counter]:
        raise NotImplementedError


class Writer:
    """Writes the plans of checked rows, chunk by chunk, inside the caller's transaction."""

    def write(self, plans: list) -> None:
        raise NotImplementedError

    def finish(self) -> dict:
        return {}


def also_on(line: int) -> str:
    return _("also on line %(line)s", line=line)
