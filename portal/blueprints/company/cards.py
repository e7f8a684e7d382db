"""Home card for company admins: the way into the company administration."""

from flask import url_for

from portal.home_cards import home_card
from portal.models import Role


@home_card(2, (Role.COMPANY_ADMIN,), "company/_home_card.html")
def company_card(user):
    return {"url": url_for("company.index"), "rules_url": url_for("company.rules"),
            "units_url": url_for("company.units")}
