"""Home card for approvers and company admins: how many orders wait for them."""

from flask import url_for

from portal.home_cards import home_card
from portal.models import Role
from portal.services import approvals


@home_card(1, (Role.APPROVER, Role.COMPANY_ADMIN), "approvals/_home_card.html")
def waiting_approvals(user):
    count = approvals.inbox_count(user)
    if not count:
        return None
    return {"count": count, "url": url_for("approvals.index")}
