"""Audit rows for what an API client changed: the actor is the client, named in the detail
(clients are not users), and a customer-side client's rows belong to its company."""

from __future__ import annotations

from portal.services.accounts import record


def audit(client, action: str, obj, detail: dict | None = None):
    detail = {"api_client": client.name, "api_client_id": client.id, **(detail or {})}
    return record(None, action, obj, detail,
                  company_id=getattr(obj, "company_id", None) or client.company_id)
