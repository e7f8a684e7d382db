"""Import jobs: a dry run in chunks with progress, then an all-or-nothing commit.

The upload is checked as a whole file (encoding, separator, header, row count) and stored in
an ImportJob; `portal worker` does the rest (see `running`): the dry run a chunk at a time,
committing its progress, then the commit. A chunk is recorded with a conditional UPDATE on
`processed_rows`, so two workers at once cannot count rows twice.

The commit is one transaction: every row is checked again (the data may have changed since
the dry run) and written in chunks; any error and the caller rolls back, so nothing at all
is written.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import ImportJob, ImportStatus
from portal.services import DomainError
from portal.services.csv_import import (
    attributes,
    customers,
    media,
    parse,
    prices_stock,
    products,
)
from portal.services.csv_import.base import RowError

CHUNK_ROWS = 1000
MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True)
class Kind:
    name: str
    label: object
    spec: parse.Spec
    checker: type
    writer: type
    note: object


KINDS = {
    "customers": Kind("customers", _l("Customers and their users"), customers.SPEC,
                      customers.CustomersChecker, customers.CustomersWriter,
                      _l("One company per company_name; one user per line, invited by email to choose a password once imported.")),  # noqa: E501
    "products": Kind("products", _l("Products"), products.SPEC, products.ProductsChecker,
                     products.ProductsWriter,
                     _l("A known SKU is updated (empty cells keep the current value); a new SKU is created and needs name_fr, name_en and category_slug.")),  # noqa: E501
    "prices": Kind("prices", _l("Price tiers"), prices_stock.PRICES, prices_stock.PricesChecker,
                   prices_stock.PricesWriter,
                   _l("unit_price in euros like 12,50 or 12.50; a tier that exists (same list, SKU and min_qty) gets the new price. A new price_list_code is created when its rows give price_list_name (and currency, EUR by default).")),  # noqa: E501
    "stock": Kind("stock", _l("Stock levels"), prices_stock.STOCK, prices_stock.StockChecker,
                  prices_stock.StockWriter, _l("The quantity replaces the current level.")),
    "attributes": Kind("attributes", _l("Product attributes"), attributes.SPEC,
                       attributes.AttributesChecker, attributes.AttributesWriter,
                       _l("One value of one attribute of a known SKU per line; an empty value_fr removes the value. An attribute_code unknown to the product's category is created there when the line gives attribute_name_fr and attribute_name_en (codes: lowercase letters, digits, _ and -).")),  # noqa: E501
    "media": Kind("media", _l("Product photos, documents and videos"), media.SPEC,
                  media.MediaChecker, media.MediaWriter,
                  _l("One file of a known SKU per line, added to what the product has. kind: image, video, datasheet, safety_sheet, performance, certificate or installation (a document needs language fr or en). file: a file name inside the ZIP archive sent with the CSV, or an https URL (downloaded from public addresses only; for a video, its link). title_fr and title_en: a photo's alt texts, a video's titles, a document's title.")),  # noqa: E501
}
# Kinds whose rows name files of a ZIP archive sent with the CSV.
WITH_ARCHIVE = frozenset({"media"})


class ImportFailed(DomainError):
    """The commit found errors or broke: the caller rolls back and records the failure."""

    def __init__(self, message: str, errors: list[RowError] | None = None):
        super().__init__(message)
        self.errors = errors or []


def _error_rows(errors) -> list[list]:
    return [[e.line, e.column, e.reason] for e in errors]


def start(kind_name: str, filename: str, raw: bytes, actor, now: datetime,
          archive: bytes | None = None) -> ImportJob:
    """Check the file as a whole and store it as a job waiting for its dry run (with the ZIP
    of files its rows name, for a kind that takes one)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise parse.ImportRefused(_("Choose what the file contains."), field="kind")
    if not filename:
        raise parse.ImportRefused(_("Choose a CSV file."), field="file")
    limit = current_app.config["MAX_CONTENT_LENGTH"]  # what any other form may send
    if len(raw) > limit:
        raise parse.ImportRefused(_("The CSV file is larger than %(n)s MB.",
                                    n=limit // 1024 // 1024), field="file")
    archive = archive if kind.name in WITH_ARCHIVE and archive else None
    if archive is not None:
        media.check_archive(archive)
    table = parse.open_table(parse.decode(raw), kind.spec)
    job = ImportJob(kind=kind.name, filename=(filename or "")[:200], content=table.text,
                    status=ImportStatus.CHECKING, total_rows=table.row_count, processed_rows=0,
                    report={"delimiter": table.delimiter, "columns": list(table.columns),
                            "errors": [], "error_count": 0, "summary": {}},
                    created_by_id=actor.id, created_at=now, archive=archive)
    db.session.add(job)
    db.session.flush()
    return job


def _table(job: ImportJob) -> parse.Table:
    report = job.report
    return parse.Table(job.content, report["delimiter"], tuple(report["columns"]),
                       job.total_rows)


def _attached(part, job: ImportJob, committing: bool = False):
    """A checker or writer, given the job's ZIP archive when its kind reads one."""
    if job.kind in WITH_ARCHIVE:
        part.attach(job.archive, committing)
    return part


def is_running(job: ImportJob) -> bool:
    return job.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING)


def _chunks(table: parse.Table, checker, start_at: int):
    """Chunks of rows from `start_at` on; the rows before it are only remembered, reading
    their key columns (the cheap part of one pass over the file)."""
    chunk = []
    for index, line, cells in parse.records(table):
        if index < start_at:
            checker.remember(parse.make_row(table, index, line, cells, checker.key_columns))
            continue
        chunk.append(parse.make_row(table, index, line, cells))
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_some(job: ImportJob, budget_seconds: float) -> None:
    """Check the next rows for up to `budget_seconds`; the caller commits the progress."""
    deadline = time.monotonic() + budget_seconds
    table, checker = _table(job), _attached(KINDS[job.kind].checker(), job)
    start_at = processed = job.processed_rows
    report = dict(job.report)
    checker.carry = dict(report.get("carry", {}))
    found_errors: list[RowError] = []
    summary = Counter(report["summary"])
    for chunk in _chunks(table, checker, start_at):
        found, _plans, counts = checker.check(chunk)
        processed = chunk[-1].index + 1
        found_errors.extend(found)
        summary.update(counts)
        if time.monotonic() > deadline:
            break
    done = processed >= job.total_rows
    if done:
        found_errors.extend(checker.final_errors())
    errors = list(report["errors"])
    errors.extend(_error_rows(found_errors[: max(MAX_REPORTED_ERRORS - len(errors), 0)]))
    if done:
        errors.sort(key=lambda e: e[0])
    report.update(errors=errors, error_count=report["error_count"] + len(found_errors),
                  summary=dict(summary), carry=checker.carry)
    db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.processed_rows == start_at,
               ImportJob.status == ImportStatus.CHECKING)
        .values(processed_rows=job.total_rows if done else processed, report=report,
                status=ImportStatus.CHECKED if done else ImportStatus.CHECKING)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(job)


class NotImportable(DomainError):
    """The job is not (or no longer) a clean dry run waiting to be imported."""

    status = 409


def recent_jobs(limit: int = 10) -> list[ImportJob]:
    return list(db.session.scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)))


def find_job(job_id: int) -> ImportJob | None:
    return db.session.get(ImportJob, job_id)


def request_commit(job: ImportJob) -> None:
    """Only a dry run that finished without a single error may be imported."""
    if job.status != ImportStatus.CHECKED or job.report.get("error_count"):
        raise NotImportable(_("Only a checked file without errors can be imported."))
    claimed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.status == ImportStatus.CHECKED)
        .values(status=ImportStatus.COMMITTING, claimed_by="", claimed_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise NotImportable(_("This import was already started."))
    db.session.expire(job)


def commit_now(job: ImportJob, now: datetime, actor, worker_id: str) -> None:
    """Write every row, or (raising) none: the caller commits or rolls back the whole."""
    # DONE is set inside the same transaction as the writes, and only by the worker holding
    # the lease: a worker that took over after a lease ran out makes the first one's late
    # commit write nothing (it rolls back), and a killed worker's writes vanish with it.
    claimed = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == ImportStatus.COMMITTING,
               ImportJob.claimed_by == worker_id)
        .values(status=ImportStatus.DONE, claimed_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.expire(job)
        return
    kind, table = KINDS[job.kind], _table(job)
    checker = _attached(kind.checker(), job, committing=True)
    writer = _attached(kind.writer(actor, now), job, committing=True)
    errors: list[RowError] = []
    for chunk in _chunks(table, checker, 0):
        _commit_chunk(checker, writer, chunk, errors)
    errors.extend(checker.final_errors())
    if errors:
        message = _("The data changed since the check: nothing was imported. Check the file again.")  # noqa: E501
        raise ImportFailed(message, errors)
    result = writer.finish()
    report = dict(job.report, result=result)
    db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id)
        .values(processed_rows=job.total_rows, report=report, content="", archive=None)
        .execution_options(synchronize_session=False)
    )
    from portal.services.accounts import record

    record(actor, "import.commit", job, {"kind": job.kind, "rows": job.total_rows, **result})
    db.session.expire(job)


def _commit_chunk(checker, writer, chunk, errors: list) -> None:
    found, plans, _counts = checker.check(chunk)
    errors.extend(found)
    if not errors:
        writer.write(plans)


def mark_failed(job_id: int, message: str, errors: list[RowError] | None = None) -> None:
    """Record why a commit failed, after the caller rolled its writes back."""
    job = db.session.get(ImportJob, job_id)
    report = dict(job.report)
    if errors:
        report.update(errors=_error_rows(errors[:MAX_REPORTED_ERRORS]), error_count=len(errors))
    report["failure"] = message
    job.report = report
    job.status = ImportStatus.FAILED
    job.content = ""
    job.archive = None
    job.claimed_until = None
