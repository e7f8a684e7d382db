"""The company's activity journal: the audit entries a company admin may read, in words.

Approval decisions (approve, reject, trim), user changes, units and approval rules, newest
first, paged by id (keyset: stable while new entries arrive). Other actions recorded for the
company (seller staff work on the account, catalog changes) are not the customer's to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, User

PAGE_SIZE = 30
SHOWN = ("approval.approve", "approval.reject", "approval.trim", "user.invite", "user.update",
         "user.disable", "user.enable", "unit.create", "unit.update", "unit.archive",
         "unit.restore", "rule.create", "rule.update", "rule.activate", "rule.deactivate",
         "crew.assortment")
USER_FIELDS = {"name": _l("name"), "role": _l("role"), "unit_id": _l("unit"),
               "order_limit_cents": _l("per-order limit"),
               "monthly_budget_cents": _l("monthly budget"),
               "yearly_allowance_cents": _l("yearly allowance"),
               "storefront_id": _l("employee store"), "disabled": _l("access")}


@dataclass(frozen=True)
class JournalEntry:
    id: int
    at: datetime
    who: str
    what: str
    comment: str = ""


@dataclass(frozen=True)
class JournalPage:
    entries: list[JournalEntry]
    next_before: int | None  # pass as `before` for the next (older) page


def parse_before(raw) -> int | None:
    text = raw if isinstance(raw, str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def journal_page(company_id: int, before: int | None = None,
                 size: int = PAGE_SIZE) -> JournalPage:
    query = (select(AuditEntry, User.name).outerjoin(User, User.id == AuditEntry.actor_id)
             .where(AuditEntry.company_id == company_id, AuditEntry.action.in_(SHOWN))
             .order_by(AuditEntry.id.desc()).limit(size + 1))
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = db.session.execute(query).all()
    entries = [JournalEntry(e.id, e.at, name or _("someone"), describe(e.action, e.detail or {}),
                            str((e.detail or {}).get("comment") or ""))
               for e, name in rows[:size]]
    more = len(rows) > size
    return JournalPage(entries, entries[-1].id if more and entries else None)


def _changed_fields(detail: dict) -> str:
    before, after = detail.get("before") or {}, detail.get("after") or {}
    names = [str(label) for key, label in USER_FIELDS.items()
             if before.get(key) != after.get(key)]
    return ", ".join(names)


def describe(action: str, detail: dict) -> str:
    """One sentence for one entry, in the reader's language."""
    order, step = detail.get("order", "?"), detail.get("step", 1)
    after = detail.get("after") or {}
    name = detail.get("name") or after.get("name") or detail.get("email") or "?"
    if action == "approval.approve":
        return _("Approved order %(order)s (step %(step)s).", order=order, step=step)
    if action == "approval.reject":
        return _("Rejected order %(order)s (step %(step)s).", order=order, step=step)
    if action == "approval.trim":
        changes = ", ".join(f"{c.get('sku')} {c.get('from')} → {c.get('to')}"
                            for c in detail.get("changes") or [])
        return _("Approved order %(order)s with changes: %(changes)s.", order=order,
                 changes=changes)
    if action == "user.invite":
        return _("Invited %(email)s.", email=detail.get("email", "?"))
    if action == "user.update":
        return _("Changed %(name)s: %(fields)s.", name=name,
                 fields=_changed_fields(detail) or _("nothing"))
    if action in ("user.disable", "user.enable"):
        text = _("Disabled %(email)s.") if action == "user.disable" else _("Enabled %(email)s.")
        return text % {"email": detail.get("email", "?")}
    return {
        "unit.create": _("Created the unit %(name)s."),
        "unit.update": _("Changed the unit %(name)s."),
        "unit.archive": _("Archived the unit %(name)s."),
        "unit.restore": _("Restored the unit %(name)s."),
        "rule.create": _("Created the approval rule %(name)s."),
        "rule.update": _("Changed the approval rule %(name)s."),
        "rule.activate": _("Turned on the approval rule %(name)s."),
        "rule.deactivate": _("Turned off the approval rule %(name)s."),
        "crew.assortment": _("Chose the crew's categories on %(name)s."),
    }.get(action, action) % {"name": name}
