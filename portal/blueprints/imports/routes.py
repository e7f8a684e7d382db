"""CSV migration (upload, dry run with progress, all-or-nothing import) and CSV exports.

The dry run and the import run in `portal worker`; these views hand them over and show how
far they got, so the admin may close the tab and come back.
"""

from datetime import UTC, datetime

from flask import Response, abort, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import worker
from portal.access import allow
from portal.blueprints.imports import bp, cards  # noqa: F401 - cards register home cards
from portal.errors import error_response
from portal.models import ImportJob, Role
from portal.rendering import render, wants_fragment
from portal.services import backoffice
from portal.services import csv_import as service
from portal.usecases import moved_on, run
from portal.web import accepts_upload

ADMIN = (Role.STAFF_ADMIN,)


def _now() -> datetime:
    return datetime.now(UTC)


def _form_page(status_code=200, **extra):
    return render("imports/index.html", status_code=status_code, kinds=service.KINDS,
                  jobs=service.recent_jobs(), max_rows=service.MAX_ROWS,
                  max_archive_mb=service.MAX_ARCHIVE_BYTES // 1_000_000, **extra)


def _handed_to_worker(job: ImportJob):
    worker.start_import(job.id)  # after the commit that made it due
    return redirect(url_for(".job", job_id=job.id), 303)


def _archive() -> bytes | None:
    """The ZIP of files sent with a media import, read up to one byte over its limit."""
    sent = request.files.get("archive")
    if sent is None or not sent.filename:
        return None
    data = sent.read(service.MAX_ARCHIVE_BYTES + 1)
    if len(data) > service.MAX_ARCHIVE_BYTES:
        raise service.ImportRefused(_("The ZIP archive is larger than %(n)s MB.",
                                      n=service.MAX_ARCHIVE_BYTES // 1_000_000),
                                    field="archive")
    return data


@bp.route("/", methods=["GET", "POST"])
@accepts_upload(up_to=service.MAX_ARCHIVE_BYTES)
@allow(ADMIN)
def index():
    if request.method != "POST":
        return _form_page()
    kind, upload = request.form.get("kind", ""), request.files.get("file")
    return run(lambda: service.start(kind, upload.filename if upload else "",
                                     upload.read() if upload else b"", current_user, _now(),
                                     _archive()),
               refused=lambda problem: _form_page(kind=kind, problem=str(problem)),
               done=_handed_to_worker)


def _job_or_404(job_id: int) -> ImportJob:
    job = service.find_job(job_id)
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


@bp.get("/<int:job_id>/progress")
@allow(ADMIN)
def progress(job_id: int):
    """Where the job stands (polled by htmx). The work itself is done by `portal worker`."""
    job = _job_or_404(job_id)
    if not wants_fragment():
        return redirect(url_for(".job", job_id=job_id), 303)
    return _show(job)


@bp.post("/<int:job_id>/commit")
@allow(ADMIN)
def commit(job_id: int):
    job = _job_or_404(job_id)

    def started(_result):
        worker.start_import(job_id)
        return moved_on(_("Import started: every line is written, or none."),
                        url_for(".job", job_id=job_id), "info")

    return run(lambda: service.request_commit(job),
               refused=lambda problem: error_response(problem.status, str(problem)),
               done=started)


@bp.get("/export/<any(orders, customers, products):what>.csv")
@allow(ADMIN)
def export(what: str):
    header, rows = backoffice.EXPORTS[what]
    body = stream_with_context(
        part.encode("utf-8") for part in backoffice.stream_csv(header, rows()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{what}-{_now().date().isoformat()}.csv"')
    return response
