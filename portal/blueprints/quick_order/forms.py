"""Reading the quick-order form: typed rows, pasted text and a CSV file, as input lines.

Rows are named `sku-<n>` / `qty-<n>` so one row can be posted alone (htmx re-checks a row
as it is edited). A row's "use replacement" and "use <quantity>" buttons post
`replace-<n>` / `snap-<n>`; their value replaces what the row held. Its "Remove" button
posts `remove-<n>`: the row is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from portal.services.ordering import MAX_FILE_BYTES, MAX_LINES, RawLine, parse_csv, parse_text

ROW_KEY = re.compile(r"^sku-(\d{1,3})$")
BLANK_ROWS = 5
MAX_SKU = 40
MAX_QTY_TEXT = 12
# One byte more than the parser accepts, so an oversized file is told, not truncated.
MAX_FILE_READ = MAX_FILE_BYTES + 1


@dataclass
class Row:
    """One row of the form as shown again: what it holds and, once checked, its result."""

    index: int
    sku: str = ""
    quantity: str = ""
    result: object = None

    @property
    def blank(self) -> bool:
        return not self.sku.strip() and not self.quantity.strip()


@dataclass
class Collected:
    rows: list[Row] = field(default_factory=list)  # typed rows, blank ones dropped
    lines: list[RawLine] = field(default_factory=list)
    paste: str = ""
    encoding: str | None = None
    header: bool = False
    error: str = ""


def _bounded(text: str, size: int) -> str:
    """What was typed, cut to `size` with a "…" when longer: a cut value never reads as a
    valid one ("5           x" is not the quantity 5)."""
    text = text.strip()
    return text if len(text) <= size else text[:size] + "…"


def removed_row(form) -> int | None:
    """The index of the row whose Remove button was tapped, if any."""
    for key in form:
        if key.startswith("remove-") and key[7:].isascii() and key[7:].isdigit() \
                and len(key) <= 10:
            return int(key[7:])
    return None


def typed_rows(form) -> list[Row]:
    """Rows in index order, with a tapped replacement or quantity applied."""
    rows = []
    for key in form:
        match = ROW_KEY.match(key)
        if not match:
            continue
        n = int(match.group(1))
        if form.get(f"remove-{n}"):
            continue
        sku = form.get(f"replace-{n}") or form.get(key, "")
        quantity = form.get(f"snap-{n}") or form.get(f"qty-{n}", "")
        rows.append(Row(n, _bounded(sku, MAX_SKU), _bounded(quantity, MAX_QTY_TEXT)))
    return sorted(rows, key=lambda r: r.index)


def collect(form, files) -> Collected:
    """Every input line of the form, or an error saying why none was taken."""
    collected = Collected(paste=form.get("paste", ""))
    collected.rows = [r for r in typed_rows(form) if not r.blank]
    lines = [RawLine("row", i, r.sku, r.quantity) for i, r in enumerate(collected.rows, 1)]
    pasted = parse_text(collected.paste)
    lines += pasted.lines
    collected.header = pasted.header
    upload = files.get("file")
    if upload is not None and upload.filename:
        parsed = parse_csv(upload.read(MAX_FILE_READ))
        if parsed.error:
            collected.error = parsed.error
            return collected
        lines += parsed.lines
        collected.encoding = parsed.encoding
        collected.header = collected.header or parsed.header
    if len(lines) > MAX_LINES:
        collected.error = _("Up to %(max)s lines at a time: this had %(n)s. Nothing was added.",
                            max=MAX_LINES, n=len(lines))
        return collected
    collected.lines = lines
    return collected
