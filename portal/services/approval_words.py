"""Approval routing in words: role names, short amounts, who approves, why."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.models import Role, User
from portal.services.approval_rules import Reason, Target


def role_label(role) -> str:
    return {
        Role.COMPANY_ADMIN: _("company admin"), Role.APPROVER: _("purchasing manager"),
        Role.BUYER: _("buyer"), Role.VIEWER: _("viewer"),
    }.get(role, str(role or ""))


def short_money(cents: int | None, currency: str = "EUR") -> str:
    """Money without the cents when there are none: "1 000 €" reads faster than "1 000,00 €"."""
    from portal.formatting import money

    if cents is None or cents % 100:
        return money(cents, currency)
    from decimal import Decimal

    from flask_babel import format_currency, get_locale

    locale = get_locale()
    if locale is None:
        return money(cents, currency)
    pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(Decimal(cents // 100), currency, format=pattern,
                           currency_digits=False)


def target_label(target: Target, people: dict[int, User]) -> str:
    names = ", ".join(people[u].name for u in target.user_ids if u in people)
    if not names:
        return _("a company admin (nobody else can approve)")
    if target.user_id is not None:
        person = people.get(target.user_id)
        return f"{names} ({role_label(person.role)})" if person else names
    return f"{names} ({role_label(target.role)})"


def describe_reason(reason: Reason, names: dict, currency: str, *, to_buyer: bool) -> str:
    m = lambda cents: short_money(cents, currency)  # noqa: E731
    code = reason.code
    if code == "total":
        return _("order over %(amount)s", amount=m(reason.amount_cents))
    if code == "order_limit":
        if to_buyer:
            return _("over your %(amount)s per-order limit", amount=m(reason.amount_cents))
        return _("over the buyer's %(amount)s per-order limit", amount=m(reason.amount_cents))
    if code == "user_budget":
        if to_buyer:
            return _("over your monthly budget of %(amount)s (%(spent)s already spent)",
                     amount=m(reason.amount_cents), spent=m(reason.spent_cents))
        return _("over the buyer's monthly budget of %(amount)s (%(spent)s already spent)",
                 amount=m(reason.amount_cents), spent=m(reason.spent_cents))
    if code == "unit_budget":
        return _("over the monthly budget of %(unit)s: %(amount)s (%(spent)s already spent)",
                 unit=reason.name, amount=m(reason.amount_cents), spent=m(reason.spent_cents))
    if code == "category":
        return _("includes products from %(category)s",
                 category=names.get(("category", reason.subject_id), "?"))
    if code == "jobsite":
        return _("delivered to %(jobsite)s", jobsite=names.get(("unit", reason.subject_id), "?"))
    if code == "step_over":
        return _("above %(amount)s", amount=m(reason.amount_cents))
    return _("rule “%(name)s”", name=reason.name)


def reasons_text(reasons, names: dict, currency: str, *, to_buyer: bool) -> str:
    return "; ".join(describe_reason(r, names, currency, to_buyer=to_buyer) for r in reasons)
