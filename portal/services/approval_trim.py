"""Trimming an order while approving it, as pure functions: which changes, or why not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TrimLine:
    line_id: int
    quantity: int
    order_multiple: int = 1


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
              ) -> tuple[list[TrimChange], str | None]:
    """The changes asked for, or an error code.

    Errors: "unknown" (not a line of this order), "more" (an approver only lowers
    quantities), "multiple" (not a multiple of the product's selling unit), "empty" (every
    line removed: that is a rejection), "unchanged" (nothing to change).
    """
    by_id = {line.line_id: line for line in lines}
    if any(line_id not in by_id for line_id in requested):
        return [], "unknown"
    changes = []
    for line_id, line in by_id.items():
        new = requested.get(line_id, line.quantity)
        if new > line.quantity:
            return [], "more"
        if new and new % max(line.order_multiple, 1):
            return [], "multiple"
        if new != line.quantity:
            changes.append(TrimChange(line_id, line.quantity, new))
    if not changes:
        return [], "unchanged"
    if all(requested.get(lid, line.quantity) == 0 for lid, line in by_id.items()):
        return [], "empty"
    return changes, None


def scaled_tax(old_subtotal: int, old_tax: int, new_subtotal: int) -> int:
    """Tax follows the subtotal in proportion (one rate per order), rounded half up."""
    if old_subtotal <= 0 or old_tax <= 0:
        return 0
    return (old_tax * new_subtotal * 2 + old_subtotal) // (old_subtotal * 2)
