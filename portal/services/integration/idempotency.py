"""Idempotency-Key: the first answer to a POST is kept and replayed for the same key.

The key's row is inserted before the work, in the same transaction: a concurrent duplicate
blocks on the unique (client, key) until the first commits, then finds the stored answer
(PostgreSQL); if the first rolled back, the duplicate does the work itself. A key reused with
another body is a conflict, never a silent replay.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import IdempotentAnswer
from portal.services import DomainError


class KeyReused(DomainError):
    """The key was used before with another request (409)."""

    status = 409
    code = "idempotency_key_reused"


class InvalidKey(DomainError):
    """Blank or longer than 255 characters (400)."""

    status = 400
    code = "invalid_idempotency_key"


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _stored(client_id: int, key: str) -> IdempotentAnswer | None:
    return db.session.scalar(select(IdempotentAnswer).where(
        IdempotentAnswer.client_id == client_id, IdempotentAnswer.key == key))


def _check(found: IdempotentAnswer, fingerprint: str) -> IdempotentAnswer:
    if found.request_hash != fingerprint:
        raise KeyReused(_("This Idempotency-Key was used with another request."))
    return found


def claim(client_id: int, key: str, fingerprint: str, now: datetime) -> IdempotentAnswer | None:
    """None: go on and do the work (the key is held by this transaction); else the answer
    to replay. The caller commits the work and `remember`s the answer together."""
    if not key.strip() or len(key) > 255:
        raise InvalidKey(_("Send an Idempotency-Key of 1 to 255 characters."))
    found = _stored(client_id, key)
    if found is not None:
        return _check(found, fingerprint)
    try:
        db.session.add(IdempotentAnswer(client_id=client_id, key=key, request_hash=fingerprint,
                                        status_code=0, body=b"", created_at=now))
        db.session.flush()
    except IntegrityError:
        # Another request with this key committed while we waited on it: its answer stands.
        # (Nothing else was done yet in this transaction, so rolling it all back is safe.)
        db.session.rollback()
        found = _stored(client_id, key)
        if found is None:
            raise
        return _check(found, fingerprint)
    return None


def remember(client_id: int, key: str, status_code: int, body: bytes) -> None:
    row = _stored(client_id, key)
    row.status_code, row.body = status_code, body
