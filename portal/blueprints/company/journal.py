"""The company's activity journal: who decided, trimmed or changed what, newest first."""

from flask import request
from flask_login import current_user

from portal.access import allow
from portal.blueprints.company import bp
from portal.models import Role
from portal.rendering import render
from portal.services import accounts


@bp.get("/journal")
@allow(Role.COMPANY_ADMIN)
def journal_index():
    page = accounts.journal_page(current_user.company_id,
                                accounts.parse_before(request.args.get("before")))
    return render("company/journal.html", page=page)
