"""The audit log: who did what, when, to which object. Written in the caller's transaction."""

from __future__ import annotations

from portal.extensions import db
from portal.models import AuditEntry


def record(actor, action: str, obj, detail: dict | None = None,
           company_id: int | None = None) -> AuditEntry:
    """Add an AuditEntry for `actor` doing `action` on `obj` (a model instance, flushed first).

    `detail` is a small JSON-able dict (before/after values, a comment); never secrets.
    """
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    if company_id is None:
        company_id = getattr(obj, "company_id", None) or getattr(actor, "company_id", None)
    entry = AuditEntry(
        company_id=company_id,
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=getattr(obj, "__tablename__", type(obj).__name__.lower()) if obj is not None
        else "",
        object_id=getattr(obj, "id", None),
        detail=dict(detail or {}),
    )
    db.session.add(entry)
    return entry
