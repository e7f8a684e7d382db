"""API clients and their bearer tokens: create, rotate, revoke, authenticate.

A token is 32 random bytes (urlsafe); only its SHA-256 is stored, so the database never holds
a usable token. The raw token is returned once, to be shown once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiClient, Company
from portal.services import DomainError
from portal.services.accounts import record

# Seller-side scopes (the ERP, PIM, CRM) and the ones a customer's own system may hold.
SELLER_SCOPES = (
    "catalog:read", "catalog:write", "prices:write", "stock:write", "customers:read",
    "customers:write", "orders:read", "fulfilment:write", "webhooks:manage", "payments:write",
)
CUSTOMER_SCOPES = ("orders:read", "cart:write")
SCOPES = tuple(dict.fromkeys(SELLER_SCOPES + CUSTOMER_SCOPES))
TOKEN_PREFIX = "pfk_"  # noqa: S105 - not a secret; lets secret scanners and people recognise a portal token


class ClientRevoked(DomainError):
    """A revoked client gets no new token (409): create another."""

    status = 409


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _clean_scopes(scopes, company_id: int | None) -> list[str]:
    allowed = CUSTOMER_SCOPES if company_id is not None else SELLER_SCOPES
    wanted = list(dict.fromkeys(s.strip() for s in scopes if s and s.strip()))
    if not wanted:
        raise DomainError(_("Choose at least one scope."), field="scopes")
    unknown = [s for s in wanted if s not in allowed]
    if unknown:
        raise DomainError(_("Scopes not allowed for this client: %(scopes)s.",
                            scopes=", ".join(unknown)), field="scopes")
    return wanted


def create_client(name: str, scopes, *, company_id: int | None = None, actor=None,
                  now: datetime) -> tuple[ApiClient, str]:
    """A new client and its token (returned once). `company_id` makes it a customer's."""
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise DomainError(_("Give the client a name of 1 to 80 characters."), field="name")
    if db.session.scalar(select(ApiClient.id).where(ApiClient.name == name)) is not None:
        raise DomainError(_("A client with this name already exists."), field="name")
    if company_id is not None and db.session.get(Company, company_id) is None:
        raise DomainError(_("This company does not exist."))
    token = _new_token()
    client = ApiClient(name=name, company_id=company_id, scopes=_clean_scopes(scopes, company_id),
                       token_hash=hash_token(token), token_hint=token[:10], created_at=now,
                       created_by_id=getattr(actor, "id", None))
    db.session.add(client)
    db.session.flush()
    record(actor, "api_client.created", client, {"name": name, "scopes": client.scopes},
           company_id=company_id)
    return client, token


def rotate_client(client: ApiClient, *, actor=None, now: datetime) -> str:
    """A new token; the previous one stops working with this transaction."""
    if client.revoked_at is not None:
        raise ClientRevoked(_("This client is revoked."))
    token = _new_token()
    client.token_hash, client.token_hint, client.rotated_at = hash_token(token), token[:10], now
    record(actor, "api_client.rotated", client, {"name": client.name},
           company_id=client.company_id)
    return token


def revoke_client(client: ApiClient, *, actor=None, now: datetime) -> None:
    if client.revoked_at is None:
        client.revoked_at = now
        record(actor, "api_client.revoked", client, {"name": client.name},
               company_id=client.company_id)


def authenticate(raw: str | None) -> ApiClient | None:
    """The live client holding this token, or None (unknown, rotated away or revoked)."""
    if not raw or len(raw) > 200:
        return None
    client = db.session.scalar(select(ApiClient).where(ApiClient.token_hash == hash_token(raw)))
    if client is None or client.revoked_at is not None:
        return None
    return client


def clients(company_id: int | None = None, *, seller: bool = False) -> list[ApiClient]:
    """The seller's clients (`seller=True`) or one company's, newest first."""
    query = select(ApiClient).order_by(ApiClient.created_at.desc(), ApiClient.id.desc())
    if seller:
        query = query.where(ApiClient.company_id.is_(None))
    elif company_id is not None:
        query = query.where(ApiClient.company_id == company_id)
    return list(db.session.scalars(query))


def client_by_name(name: str) -> ApiClient | None:
    return db.session.scalar(select(ApiClient).where(ApiClient.name == name))


def client_of(client_id: int, company_id: int | None) -> ApiClient | None:
    """A client of the seller (`company_id` None) or of that company; None for any other."""
    client = db.session.get(ApiClient, client_id)
    if client is None or client.company_id != company_id:
        return None
    return client
