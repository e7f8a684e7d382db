"""CSV migration (upload, dry run with progress, all-or-nothing import) and CSV exports."""

import logging
from datetime import UTC, date, datetime

from flask import Response, abort, flash, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.access import allow
from portal.blueprints.imports import bp, cards  # noqa: F401 - cards register home cards
from portal.errors import error_response
from portal.extensions import db
from portal.models import ImportJob, Role
from portal.rendering import render, wants_fragment
from portal.services import DomainError, backoffice
from portal.services import csv_import as service

log = logging.getLogger("portal.imports")
ADMIN = (Role.STAFF_ADMIN,)
# Seconds of dry-run work per request: short for a poll, longer for a page without JS.
POLL_BUDGET, PAGE_BUDGET = 0.8, 3.0


def _now() -> datetime:
    return datetime.now(UTC)


def _recent_jobs():
    return db.session.scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(10)).all()


def _form_page(status_code=200, **extra):
    return render("imports/index.html", status_code=status_code, kinds=service.KINDS,
                  jobs=_recent_jobs(), max_rows=service.MAX_ROWS, **extra)


@bp.route("/", methods=["GET", "POST"])
@allow(ADMIN)
def index():
    if request.method != "POST":
        return _form_page()
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _form_page(422, kind=kind, problem=_("Choose a CSV file."))
    try:
        job = service.start(kind, upload.filename, upload.read(), current_user, _now())
    except DomainError as exc:
        db.session.rollback()
        return _form_page(422, kind=kind, problem=str(exc))
    db.session.commit()
    return redirect(url_for(".job", job_id=job.id), 303)


def _job_or_404(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None:
        abort(404)
    return job


def _show(job: ImportJob, status_code: int = 200):
    return render("imports/job.html", block="job", status_code=status_code, job=job,
                  kind=service.KINDS[job.kind], running=service.is_running(job),
                  fragment=wants_fragment())


@bp.get("/<int:job_id>")
@allow(ADMIN)
def job(job_id: int):
    return _show(_job_or_404(job_id))


@bp.post("/<int:job_id>/progress")
@allow(ADMIN)
def progress(job_id: int):
    """Advance the job by one piece of work, then show where it stands (polled by htmx; a
    POST, so no GET or HEAD ever moves a job on; without JS the page's button sends it)."""
    job = _job_or_404(job_id)
    budget = POLL_BUDGET if wants_fragment() else PAGE_BUDGET
    try:
        service.advance(job, budget, _now(), current_user)
        db.session.commit()
    except service.ImportFailed as exc:
        db.session.rollback()
        service.mark_failed(job_id, str(exc), exc.errors)
        db.session.commit()
    except Exception:
        # A broken commit must become a visible, final state, not a 500 that every later poll
        # repeats: the writes are rolled back, the job is marked failed.
        db.session.rollback()
        log.exception("import job %s failed", job_id)
        service.mark_failed(job_id, _("The import stopped on an unexpected error: nothing was imported."))  # noqa: E501
        db.session.commit()
    if not wants_fragment():
        return redirect(url_for(".job", job_id=job_id), 303)
    return _show(_job_or_404(job_id))


@bp.post("/<int:job_id>/commit")
@allow(ADMIN)
def commit(job_id: int):
    job = _job_or_404(job_id)
    try:
        service.request_commit(job)
    except DomainError as exc:
        db.session.rollback()
        return error_response(409, str(exc))
    db.session.commit()
    flash(_("Import started: every line is written, or none."), "info")
    return redirect(url_for(".job", job_id=job_id), 303)


@bp.get("/export/<any(orders, customers, products):what>.csv")
@allow(ADMIN)
def export(what: str):
    header, rows = backoffice.EXPORTS[what]
    body = stream_with_context(
        part.encode("utf-8") for part in backoffice.stream_csv(header, rows()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{what}-{date.today().isoformat()}.csv"')
    return response
