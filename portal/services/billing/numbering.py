"""Invoice numbers: one unbroken sequence per series and year (FA-2026-000001 for invoices,
AV-2026-000001 for credit notes).

The number is taken in the transaction that writes the invoice, from a counter row locked
FOR UPDATE: a second shipment at the same moment waits for the first transaction to end and
then reads its number, so no number is used twice; a transaction that rolls back gives its
number back with it, so none is skipped. The row of a new year is created by an insert that
does nothing when another transaction made it first (ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.extensions import db
from portal.models import InvoiceCounter, InvoiceKind

SERIES = {InvoiceKind.INVOICE: "FA", InvoiceKind.CREDIT_NOTE: "AV"}
# Invoices the seller's ERP issued keep the ERP's own number; the unique (series, year,
# sequence) of every invoice row is then taken from this series of its own, never printed.
ERP_SERIES = "ERP"


def format_number(series: str, year: int, sequence: int) -> str:
    return f"{series}-{year}-{sequence:06d}"


def take_number(kind: InvoiceKind, year: int) -> tuple[str, int, str]:
    """(series, sequence, number) of the next document of `kind` in `year`."""
    series = SERIES[kind]
    sequence = take_sequence(series, year)
    return series, sequence, format_number(series, year, sequence)


def take_sequence(series: str, year: int) -> int:
    """The next sequence of `series` in `year`, the counter row locked until the commit."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(InvoiceCounter).values(series=series, year=year, last=0)
                       .on_conflict_do_nothing())
    where = (InvoiceCounter.series == series, InvoiceCounter.year == year)
    last = db.session.scalar(select(InvoiceCounter.last).where(*where).with_for_update())
    sequence = int(last) + 1
    db.session.execute(update(InvoiceCounter).where(*where).values(last=sequence)
                       .execution_options(synchronize_session=False))
    return sequence
