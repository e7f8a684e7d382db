"""Trimming an order while approving it, as pure functions: which changes, or why not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from portal.services.selling import QuantityRule, Reason


@dataclass(frozen=True)
class TrimLine:
    line_id: int
    quantity: int
    order_multiple: int = 1


@dataclass(frozen=True)
class TrimProblem:
    code: str
    line_id: int | None = None  # the line it is about, so the message can name it


@dataclass(frozen=True)
class TrimChange:
    line_id: int
    old: int
    new: int  # 0: the line is removed


def parse_trim_quantity(raw) -> int | None:
    """A quantity typed by the approver: ASCII digits, 0 meaning "remove"; None if invalid."""
    text = (raw if isinstance(raw, str) else "").strip()
    if not text or len(text) > 6 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def plan_trim(lines: Iterable[TrimLine], requested: Mapping[int, int]
              ) -> tuple[list[TrimChange], TrimProblem | None]:
    """The changes asked for, or the problem (with the line it is about).

    Problems: "unknown" (not a line of this order), "more" (an approver only lowers
    quantities), "multiple" (not a multiple of the product's selling unit), "empty" (every
    line removed: that is a rejection), "unchanged" (nothing to change).
    """
    by_id = {line.line_id: line for line in lines}
    for line_id in requested:
        if line_id not in by_id:
            return [], TrimProblem("unknown", line_id)
    changes = []
    for line_id, line in by_id.items():
        new = requested.get(line_id, line.quantity)
        if new > line.quantity:
            return [], TrimProblem("more", line_id)
        if new and QuantityRule.of(1, line.order_multiple).problem(new):
            # Only the selling unit can be broken here: new is at least 1 and at most old.
            return [], TrimProblem(Reason.MULTIPLE, line_id)
        if new != line.quantity:
            changes.append(TrimChange(line_id, line.quantity, new))
    if not changes:
        return [], TrimProblem("unchanged")
    if all(requested.get(lid, line.quantity) == 0 for lid, line in by_id.items()):
        return [], TrimProblem("empty")
    return changes, None


def is_unchanged(lines: Iterable[TrimLine], requested: Mapping[int, int]) -> bool:
    """Whether the typed quantities are the order's own (approving it as it is)."""
    current = {line.line_id: line.quantity for line in lines}
    return all(current.get(line_id) == qty for line_id, qty in requested.items())
