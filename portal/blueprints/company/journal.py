"""The company's activity journal: who decided, trimmed or changed what, newest first."""

from flask import request
from flask_login import current_user

from portal.access import allow
from portal.blueprints.company import bp
from portal.models import Role
from portal.rendering import render
from portal.services import journal


@bp.get("/journal")
@allow(Role.COMPANY_ADMIN)
def journal_index():
    page = journal.journal_page(current_user.company_id,
                                journal.parse_before(request.args.get("before")))
    return render("company/journal.html", page=page)
