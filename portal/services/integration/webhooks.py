"""Webhook subscriptions and the outbox rows the portal's changes write for them.

A row per (event, subscription) is added to `webhook_deliveries` by a session hook, in the
same transaction as the change that caused it: an order placed, approved, rejected or moved
on, a shipment delivered (its proof), a claim reported or settled, an account application
received or approved, an invoice or credit note issued (by a
shipment or registered by the ERP), an invoice paid in full by a payment, whichever code path
made it (checkout, an approver, the staff's pages, the API). Nothing is posted from a request:
the worker calls `deliver_due_webhooks` (module `delivery`).
"""

from __future__ import annotations

import base64
import ipaddress
import secrets
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import (
    AccountApplication,
    ApiClient,
    Company,
    CompanyStatus,
    Invoice,
    InvoicePayment,
    Order,
    OrderEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from portal.services import DomainError, billing
from portal.services.integration.audit import audit

EVENTS = ("order.placed", "order.approved", "order.rejected", "order.status_changed",
          "company.applied", "company.approved", "invoice.issued", "invoice.paid",
          "shipment.delivered", "claim.reported", "claim.resolved")
# Timeline codes that are webhook events of their own (services/fulfilment/proof.py, claims).
_CODE_EVENTS = {"delivered_to": "shipment.delivered", "claim_reported": "claim.reported",
                "claim_reshipped": "claim.resolved", "claim_credited": "claim.resolved"}
_PENDING = "integration_webhook_events"


# -- subscriptions ---------------------------------------------------------------------------

def _check_url(url: str, allow_http: bool) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if len(url) > 500 or parts.scheme not in ("https", "http") or not parts.hostname:
        raise DomainError(_("Give an https:// URL of at most 500 characters."), field="url")
    if parts.scheme == "http" and not (allow_http or _loopback(parts.hostname)):
        raise DomainError(_("Give an https:// URL of at most 500 characters."), field="url")
    return url


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def subscribe(client: ApiClient, url: str, events, now: datetime, *,
              allow_http: bool = False) -> WebhookSubscription:
    """A subscription with a fresh signing secret (shown to the caller with it)."""
    wanted = list(dict.fromkeys(events or ()))
    unknown = [e for e in wanted if e not in EVENTS]
    if not wanted or unknown:
        raise DomainError(_("Choose events among: %(events)s.", events=", ".join(EVENTS)),
                          field="events")
    subscription = WebhookSubscription(client_id=client.id, url=_check_url(url, allow_http),
                                       events=wanted, secret=new_secret(), created_at=now)
    db.session.add(subscription)
    db.session.flush()
    audit(client, "webhook.subscribed", subscription, {"url": subscription.url,
                                                       "events": wanted})
    return subscription


def unsubscribe(subscription: WebhookSubscription, client, now: datetime) -> None:
    if subscription.disabled_at is None:
        subscription.disabled_at = now
        audit(client, "webhook.unsubscribed", subscription, {"url": subscription.url})


def subscriptions_of(client_id: int | None = None) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).where(WebhookSubscription.disabled_at.is_(None))
    if client_id is not None:
        query = query.where(WebhookSubscription.client_id == client_id)
    return list(db.session.scalars(query.order_by(WebhookSubscription.id)))


def subscription_of(client_id: int | None, subscription_id: int) -> WebhookSubscription | None:
    """One live subscription, of this client (None: any client, for staff)."""
    found = db.session.get(WebhookSubscription, subscription_id)
    if found is None or found.disabled_at is not None or (
            client_id is not None and found.client_id != client_id):
        return None
    return found


def deliveries_of(subscription: WebhookSubscription, limit: int = 100) -> list[WebhookDelivery]:
    return list(db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
        .order_by(WebhookDelivery.id.desc()).limit(limit)))


def delivery_of(client_id: int, delivery_id: int,
                subscription_id: int | None = None) -> WebhookDelivery | None:
    """One delivery of this client's live subscriptions (of that one, when given)."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or (subscription_id is not None
                            and delivery.subscription_id != subscription_id):
        return None
    if subscription_of(client_id, delivery.subscription_id) is None:
        return None
    return delivery


def send_again(delivery: WebhookDelivery, now: datetime) -> None:
    """Due again now, with its tries counted from zero (a dead one comes back to life)."""
    delivery.state, delivery.attempts, delivery.next_attempt_at = "pending", 0, now


# -- the outbox: events noticed at flush, rows added in the same transaction -----------------

def _order_data(order: Order) -> dict:
    return {"order_id": order.id, "number": order.number, "status": str(order.status),
            "company_id": order.company_id}


def _collect(session: Session, _context) -> None:
    found = session.info.setdefault(_PENDING, [])
    new_orders = {o.id for o in session.new if isinstance(o, Order)}
    for obj in session.new:
        if isinstance(obj, Order):
            found.append(("order.placed", _order_data(obj)))
        elif isinstance(obj, OrderEvent) and obj.order_id not in new_orders:
            data = {"order_id": obj.order_id, "status": str(obj.status) if obj.status else None,
                    "code": obj.code}
            if obj.code == "approvals_done":
                found.append(("order.approved", data))
            elif obj.code == "rejected":
                found.append(("order.rejected", data))
            if obj.code in _CODE_EVENTS:
                found.append((_CODE_EVENTS[obj.code], {**data, **(obj.params or {})}))
            if obj.status is not None:
                found.append(("order.status_changed", data))
        elif isinstance(obj, AccountApplication):
            found.append(("company.applied", {"company_id": obj.company_id,
                                              "application_id": obj.id}))
        elif isinstance(obj, Invoice):
            found.append(("invoice.issued", _invoice_data(obj)))
        elif isinstance(obj, InvoicePayment):
            # Whether it settles the invoice is read once the flush wrote it (_write_rows).
            found.append(("invoice.paid?", {"invoice_id": obj.invoice_id}))
    for obj in session.dirty:
        if isinstance(obj, Company):
            added = inspect(obj).attrs.status.history.added
            if added and added[0] == CompanyStatus.ACTIVE:
                found.append(("company.approved", {"company_id": obj.id, "name": obj.name}))


def _write_rows(session: Session, _context) -> None:
    found = session.info.pop(_PENDING, None)
    if not found:
        return
    with session.no_autoflush:
        subscriptions = session.scalars(
            select(WebhookSubscription).join(ApiClient)
            .where(WebhookSubscription.disabled_at.is_(None), ApiClient.revoked_at.is_(None))
        ).all()
    now = datetime.now(UTC)
    found = _settled(session, found, now)
    for kind, data in found:
        for subscription in subscriptions:
            if kind in subscription.events:
                session.add(WebhookDelivery(
                    subscription_id=subscription.id, message_id=f"msg_{uuid.uuid4().hex}",
                    event=kind, payload={"type": kind, "timestamp": now.isoformat(),
                                         "data": data},
                    state="pending", attempts=0, next_attempt_at=now, last_error="",
                    created_at=now))


def _invoice_data(invoice: Invoice) -> dict:
    return {"number": invoice.number, "kind": str(invoice.kind), "order_id": invoice.order_id,
            "company_id": invoice.company_id, "total_cents": invoice.total_cents,
            "currency": invoice.currency,
            "due_on": invoice.due_on.isoformat() if invoice.due_on else None}


def _settled(session: Session, found: list, now: datetime) -> list:
    """Each "invoice.paid?" becomes "invoice.paid" when nothing is left to pay, else goes."""
    ids = {data["invoice_id"] for kind, data in found if kind == "invoice.paid?"}
    if not ids:
        return found
    with session.no_autoflush:
        invoices = session.scalars(select(Invoice).where(Invoice.id.in_(ids))).all()
        paid = [row.invoice for row in billing.rows_for(list(invoices), now.date())
                if row.outstanding_cents == 0]
    kept = [(kind, data) for kind, data in found if kind != "invoice.paid?"]
    return kept + [("invoice.paid", _invoice_data(invoice)) for invoice in paid]


def _forget(session: Session, *_args) -> None:
    session.info.pop(_PENDING, None)


def watch_changes() -> None:
    """Install the session hooks (once per process)."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_flush_postexec", _write_rows)
        event.listen(Session, "after_soft_rollback", _forget)
