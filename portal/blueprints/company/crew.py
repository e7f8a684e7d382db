"""Employee store, the company admin's side: what each crew member spent of their yearly
allowance this year, and their orders. Another company's person is a 404."""

from datetime import UTC, datetime

from flask_login import current_user

from portal.access import allow, scoped_or_404
from portal.blueprints.company import bp
from portal.models import Role, User
from portal.rendering import render
from portal.services import accounts


@bp.get("/crew")
@allow(Role.COMPANY_ADMIN)
def crew_index():
    return render("company/crew.html", members=accounts.crew_spending(
        current_user.company_id, datetime.now(UTC)))


@bp.get("/crew/<int:user_id>")
@allow(Role.COMPANY_ADMIN)
def crew_member(user_id: int):
    person = scoped_or_404(User, user_id)
    return render("company/crew_member.html",
                  member=accounts.member_spending(person, datetime.now(UTC)))
