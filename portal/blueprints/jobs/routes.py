"""Background jobs for the seller's admin: what the worker gave up on, and a retry for it."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from portal.access import allow
from portal.blueprints.jobs import bp
from portal.extensions import db
from portal.models import Role
from portal.monitoring import worker_status
from portal.rendering import render
from portal.services import jobs, messaging

ADMIN = (Role.STAFF_ADMIN,)


@bp.get("/")
@allow(ADMIN)
def index():
    return render("jobs/index.html", emails=messaging.dead_emails(), runs=jobs.failed_runs(),
                  worker=worker_status(), in_doubt=messaging.IN_DOUBT)


@bp.post("/emails/<int:message_id>/retry")
@allow(ADMIN)
def retry_email(message_id: int):
    if not messaging.retry_email(message_id):
        abort(404)
    db.session.commit()
    flash(_("The email is queued again."), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/periodic/<job>/<period>/retry")
@allow(ADMIN)
def retry_run(job: str, period: str):
    if not jobs.retry_run(job, period):
        abort(404)
    db.session.commit()
    flash(_("The job runs again at the worker's next sweep (within a minute)."), "success")
    return redirect(url_for(".index"), 303)
