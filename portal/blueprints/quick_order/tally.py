"""The quick order's summary ("Lines checked, ready, to fix"), kept right as rows change.

After a check, the page carries the verdict of every row in one hidden field. A row
re-checked, fixed or removed through htmx posts that field with it and gets the summary
back recounted (an out-of-band swap), so "To fix: 2" never outlives the two mistakes.
The field comes from the browser: it is parsed defensively, bounded, and used for display
only; adding to the cart always checks every line again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from portal.blueprints.quick_order.forms import MAX_SKU
from portal.services.ordering import ERROR, MAX_LINES

READY, TO_FIX = "o", "e"
MAX_STATE = MAX_LINES * (MAX_SKU + 16)


@dataclass
class Tally:
    """Row index -> (verdict, SKU as shown); rows never checked or blank are absent."""

    rows: dict[int, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def of_result(cls, result) -> Tally:
        return cls({i: (TO_FIX if r.status == ERROR else READY, r.sku)
                    for i, r in enumerate(result.lines)})

    @classmethod
    def parse(cls, text: str | None) -> Tally | None:
        """The posted state, or None when there is none (no summary on the page yet)."""
        if not text or len(text) > MAX_STATE:
            return None
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):  # deep nesting overflows the decoder
            return None
        if not isinstance(items, list):
            return None
        rows = {}
        for item in items[:MAX_LINES]:
            if (isinstance(item, list) and len(item) == 3 and isinstance(item[0], int)
                    and 0 <= item[0] < MAX_LINES and item[1] in (READY, TO_FIX)
                    and isinstance(item[2], str)):
                rows[item[0]] = (item[1], item[2][:MAX_SKU + 1])
        return cls(rows)

    def dump(self) -> str:
        return json.dumps([[i, v, sku] for i, (v, sku) in sorted(self.rows.items())],
                          separators=(",", ":"), ensure_ascii=False)

    def update(self, index: int, result) -> None:
        """Row `index` now holds `result` (None: blank or removed)."""
        if result is None:
            self.rows.pop(index, None)
        else:
            self.rows[index] = (TO_FIX if result.status == ERROR else READY, result.sku)

    @property
    def checked(self) -> int:
        return len(self.rows)

    @property
    def ready(self) -> int:
        return sum(1 for v, _sku in self.rows.values() if v == READY)

    @property
    def to_fix(self) -> list[tuple[int, str]]:
        return [(i, sku) for i, (v, sku) in sorted(self.rows.items()) if v == TO_FIX]
