"""Timeline entries as data: what happened (a code and its parameters), put into words when read.

An order is read by people of several languages (the buyer, an approver, the seller's staff):
a text written in the company's language at the time would stay in that language for all.
Each use case stores a code from `TEXTS` with plain parameters (names, quantities, ISO dates);
`event_text` says it in the language in force. Rows older than the codes keep their text.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.models import OrderEvent, OrderStatus


def _money(cents, currency) -> str:
    from portal.formatting import money

    return money(cents or 0, currency or "EUR")


def _product(p: dict) -> str:
    from portal.services.orders.line_names import pick_name

    return f"{p.get('sku', '')} {pick_name(p.get('name') or '', p.get('name_en'))}".strip()


def _with_comment(text: str, p: dict) -> str:
    if p.get("comment"):
        return text + " " + _("Comment: %(comment)s", comment=p["comment"])
    return text


def _waiting(p: dict) -> str:
    from portal.services.approvals import reasons_from_data, who_text

    who = who_text(p.get("who") or {})
    if p.get("reasons"):
        return _("Waiting for approval by %(who)s: %(reason)s", who=who,
                 reason=reasons_from_data(p["reasons"]))
    return _("Waiting for approval by %(who)s.", who=who)


def _shipped(p: dict) -> str:
    units = ngettext("%(num)s unit", "%(num)s units", p.get("units", 0))
    parts = [ngettext("%(num)s line shipped (%(units)s).", "%(num)s lines shipped (%(units)s).",
                      p.get("lines", 0), units=units)]
    carrier, tracking = p.get("carrier"), p.get("tracking")
    if carrier and tracking:
        parts.append(_("Carrier: %(carrier)s, tracking number %(tracking)s.", carrier=carrier,
                       tracking=tracking))
    elif carrier:
        parts.append(_("Carrier: %(carrier)s.", carrier=carrier))
    elif tracking:
        parts.append(_("Tracking number %(tracking)s.", tracking=tracking))
    parts.append(_("The rest will follow.") if p.get("partial")
                 else _("Everything has now been shipped."))
    return " ".join(parts)


def _backordered(p: dict) -> str:
    from portal.formatting import format_date

    when = format_date(date.fromisoformat(p["date"]), "long") if p.get("date") else "?"
    return ngettext("%(sku)s: %(num)s unit on backorder, expected on %(date)s.",
                    "%(sku)s: %(num)s units on backorder, expected on %(date)s.",
                    p.get("qty", 0), sku=p.get("sku", ""), date=when)


def _delivered_to(p: dict) -> str:
    from portal.formatting import format_datetime

    when = format_datetime(datetime.fromisoformat(p["at"]), "medium") if p.get("at") else "?"
    return _("Delivered on %(date)s, received by %(name)s.", date=when,
             name=p.get("received_by", ""))


def _claim_reported(p: dict) -> str:
    from portal.services.claims import REASON_LABELS

    reason = REASON_LABELS.get(p.get("reason"), p.get("reason", ""))
    return ngettext("Problem reported on %(sku)s: %(reason)s, %(num)s unit.",
                    "Problem reported on %(sku)s: %(reason)s, %(num)s units.", p.get("qty", 0),
                    sku=p.get("sku", ""), reason=str(reason).lower())


def _claim_credited(p: dict) -> str:
    amount = _money(p.get("amount"), p.get("currency"))
    if p.get("credit_note"):
        return ngettext("Problem on %(sku)s settled: %(num)s unit credited, %(amount)s excl. VAT "
                        "(credit note %(number)s).",
                        "Problem on %(sku)s settled: %(num)s units credited, %(amount)s excl. "
                        "VAT (credit note %(number)s).", p.get("qty", 0), sku=p.get("sku", ""),
                        amount=amount, number=p["credit_note"])
    return ngettext("Problem on %(sku)s settled: %(num)s unit credited, %(amount)s excl. VAT.",
                    "Problem on %(sku)s settled: %(num)s units credited, %(amount)s excl. VAT.",
                    p.get("qty", 0), sku=p.get("sku", ""), amount=amount)


def _claim_reshipped(p: dict) -> str:
    text = ngettext("Problem on %(sku)s settled: %(num)s unit shipped again.",
                    "Problem on %(sku)s settled: %(num)s units shipped again.", p.get("qty", 0),
                    sku=p.get("sku", ""))
    if p.get("tracking"):
        text += " " + _("Tracking number %(tracking)s.", tracking=p["tracking"])
    return text


TEXTS = {
    "delivered_to": _delivered_to,
    "claim_reported": _claim_reported,
    "claim_reshipped": _claim_reshipped,
    "claim_credited": _claim_credited,
    "approval_waiting": _waiting,
    "approvals_done": lambda p: _("Every approval given: the order is submitted."),
    "step_approved": lambda p: _with_comment(
        _("Step %(step)s approved by %(who)s.", step=p.get("step"), who=p.get("who")), p),
    "rejected": lambda p: _("Rejected by %(who)s: %(comment)s", who=p.get("who"),
                            comment=p.get("comment", "")),
    "line_removed": lambda p: _("%(product)s removed by %(who)s (was %(old)s).",
                                product=_product(p), who=p.get("who"), old=p.get("old")),
    "line_changed": lambda p: _("Quantity of %(product)s changed from %(old)s to %(new)s by "
                                "%(who)s.", product=_product(p), old=p.get("old"),
                                new=p.get("new"), who=p.get("who")),
    "confirmed": lambda p: _("Your order is confirmed and is being prepared."),
    # Click-and-collect (services/fulfilment/collection.py).
    "ready_to_collect": lambda p: _("Your order is ready: collect it at the branch "
                                    "%(place)s.", place=p.get("place", "")),
    "collected": lambda p: _("Collected at the branch %(place)s.", place=p.get("place", ""))
    + (" " + _("Paid at the counter: %(amount)s.",
               amount=_money(p.get("amount"), p.get("currency"))) if p.get("amount") else ""),
    "delivered": lambda p: _("Your order was delivered."),
    "cancelled": lambda p: _("Your order was cancelled. Reason: %(reason)s",
                             reason=p.get("reason", "")),
    "shipped": _shipped,
    "backordered": _backordered,
    "backorder_cleared": lambda p: _("%(sku)s: no longer on backorder.", sku=p.get("sku", "")),
    "credit_hold": lambda p: _("Over the credit limit: the order waits for a credit check "
                               "(credit available: %(available)s).",
                               available=_money(p.get("available"), p.get("currency"))),
    "credit_released": lambda p: _("Credit check done: the order goes to the warehouse."),
    "credit_limit_raised": lambda p: _("Credit limit raised to %(limit)s: the order goes to the "
                                       "warehouse.",
                                       limit=_money(p.get("limit"), p.get("currency"))),
    "prepayment_asked": lambda p: _("Prepayment asked: the order will be prepared once "
                                    "%(amount)s is received.",
                                    amount=_money(p.get("amount"), p.get("currency"))),
    "awaiting_payment": lambda p: _("Waiting for the bank transfer of %(amount)s, reference "
                                    "%(reference)s.",
                                    amount=_money(p.get("amount"), p.get("currency")),
                                    reference=p.get("reference", "")),
    "payment_received": lambda p: _("Payment of %(amount)s received: the order goes to the "
                                    "warehouse.",
                                    amount=_money(p.get("amount"), p.get("currency"))),
    "payment_reminder": lambda p: _("Payment reminder sent: %(amount)s, reference "
                                    "%(reference)s.",
                                    amount=_money(p.get("amount"), p.get("currency")),
                                    reference=p.get("reference", "")),
    "proforma_expired": lambda p: _("Cancelled: the payment of %(amount)s was not received "
                                    "in time.",
                                    amount=_money(p.get("amount"), p.get("currency"))),
    # services/card_payments: a provider's payment that could not settle the order.
    "card_payment_mismatch": lambda p: _(
        "Card payment of %(amount)s not applied: the order owes %(expected)s. The seller "
        "checks it.", amount=_money(p.get("amount"), p.get("currency")),
        expected=_money(p.get("expected"), p.get("expected_currency"))),
    "card_payment_unexpected": lambda p: _(
        "Card payment of %(amount)s received when the order no longer waited for it. The "
        "seller checks it.", amount=_money(p.get("amount"), p.get("currency"))),
}


def describe(code: str | None, params: dict | None, fallback: str = "") -> str:
    """The words for `code` in the language in force; `fallback` for unknown or older rows."""
    build = TEXTS.get(code or "")
    if build is None:
        return fallback
    return str(build(params or {}))


def event_text(event: OrderEvent) -> str:
    return describe(event.code, event.params, event.message or "")


def new_event(order_id: int, code: str, params: dict | None, *, kind: str,
              status: OrderStatus | None, actor_id: int | None, at: datetime) -> OrderEvent:
    """An event that stores what happened; its words come from `event_text` when read."""
    if code not in TEXTS:
        raise ValueError(f"unknown order event code {code!r}")
    return OrderEvent(order_id=order_id, code=code, params=params or {}, kind=kind,
                      status=status, actor_id=actor_id, at=at, message="")
