"""Approval routing in words: role names, short amounts, who approves, why."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.models import Role, User
from portal.models.labels import role_in_sentence
from portal.services.approvals.rules import Reason, Target


def role_label(role) -> str:
    """The role inside a sentence ("Sophie Durand (purchasing manager)"); the one wording of
    roles lives in portal/models/labels."""
    return role_in_sentence(role) if role else ""


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


def target_data(target: Target, people: dict[int, User]) -> dict:
    """Who approves, as data: the names, and the role put into words when read."""
    names = ", ".join(people[u].name for u in target.user_ids if u in people)
    role = target.role
    if target.user_id is not None:
        person = people.get(target.user_id)
        role = person.role if person else None
    return {"names": names, "role": str(role) if role and names else None}


def who_text(data: dict) -> str:
    if not data.get("names"):
        return _("a company admin (nobody else can approve)")
    if data.get("role"):
        return f"{data['names']} ({role_label(Role(data['role']))})"
    return data["names"]


def target_label(target: Target, people: dict[int, User]) -> str:
    return who_text(target_data(target, people))


def _in_reader_language(name) -> str:
    """A name stored once (a unit) or per language (a category, as a French/English pair)."""
    if isinstance(name, (list, tuple)):
        from flask_babel import get_locale

        english = str(get_locale() or "fr").startswith("en")
        return (name[1] if english and len(name) > 1 else name[0]) or name[0]
    return name


def describe_reason(reason: Reason, names: dict, currency: str, *, to_buyer: bool) -> str:
    m = lambda cents: short_money(cents, currency)  # noqa: E731
    names = {key: _in_reader_language(value) for key, value in names.items()}
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
    if code == "allowance":
        if to_buyer:
            return _("over your yearly allowance of %(amount)s (%(spent)s already spent)",
                     amount=m(reason.amount_cents), spent=m(reason.spent_cents))
        return _("over the worker's yearly allowance of %(amount)s (%(spent)s already spent)",
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


def reasons_data(reasons, names: dict, currency: str) -> list[dict]:
    """The reasons as stored data: what `describe_reason` needs, names in both languages."""
    found = []
    for r in reasons:
        key = {"category": "category", "jobsite": "unit"}.get(r.code)
        item = {"code": r.code, "amount_cents": r.amount_cents, "spent_cents": r.spent_cents,
                "name": r.name, "subject_id": r.subject_id, "currency": currency}
        if key is not None:
            item["subject"] = names.get((key, r.subject_id))
        found.append(item)
    return found


def reasons_from_data(data: list[dict], *, to_buyer: bool = False) -> str:
    texts = []
    for item in data:
        reason = Reason(item["code"], item.get("amount_cents"), item.get("subject_id"),
                        item.get("name") or "", item.get("spent_cents"))
        key = {"category": "category", "jobsite": "unit"}.get(item["code"])
        names = {(key, item.get("subject_id")): item.get("subject") or "?"} if key else {}
        texts.append(describe_reason(reason, names, item.get("currency") or "EUR",
                                     to_buyer=to_buyer))
    return "; ".join(texts)


def request_reason(req) -> str:
    """Why this approval request exists, in the reader's language (older rows: their text)."""
    data = getattr(req, "reason_data", None)
    return reasons_from_data(data) if data else (req.reason or "")
