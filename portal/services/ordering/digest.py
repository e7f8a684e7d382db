"""The weekly "due to reorder" e-mail: once a week (Monday from 6 a.m., the seller's time), a
buyer who asked for it gets the products `due` finds for them, with a link to the home card
that adds them in one tap. Nothing due, no e-mail. Opt-in per user (account page); every
e-mail carries a one-click unsubscribe link (List-Unsubscribe, RFC 8058) that needs no
password: a signed token naming the user, which can only turn the e-mail off.

The worker's hourly job runs `send_due_digests`; a user is considered once per week
(`due_digest_week`), so any number of runs in a week sends one e-mail at most.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature
from sqlalchemy import or_, select

from portal.config import link_serializer
from portal.extensions import db
from portal.models import Company, CompanyStatus, User
from portal.services.messaging import email_link, queue_email
from portal.services.ordering.checkout import TIMEZONE, local_today
from portal.services.ordering.due import due_for

SALT = "due-digest-unsubscribe"
SEND_FROM_HOUR = 6
BATCH = 200


def week_of(today: date) -> date:
    """The Monday of the week `today` is in."""
    return today - timedelta(days=today.weekday())


def _serializer():
    return link_serializer(current_app.config, SALT)


def unsubscribe_token(user: User) -> str:
    return _serializer().dumps(user.id)


def user_of_token(token: str) -> User | None:
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def set_due_digest(user: User, wanted: bool) -> None:
    user.due_digest = wanted


def send_due_digests(now: datetime) -> int:
    """One e-mail per opted-in buyer with something due, once per week; how many went."""
    local = now.astimezone(TIMEZONE)
    week = week_of(local_today(now))
    if local.date() == week and local.hour < SEND_FROM_HOUR:
        return 0
    sent = 0
    while True:
        users = list(db.session.scalars(
            select(User).join(Company, Company.id == User.company_id)
            .where(User.due_digest.is_(True), User.disabled.is_(False),
                   Company.status == CompanyStatus.ACTIVE,
                   or_(User.due_digest_week.is_(None), User.due_digest_week < week))
            .order_by(User.id).limit(BATCH)))
        if not users:
            return sent
        for user in users:
            user.due_digest_week = week
            items = due_for(user, now)
            if not items:
                continue
            link = email_link("orders.stop_digest", token=unsubscribe_token(user))
            message = queue_email("due_digest", user.email, user.language or "fr", "due_digest",
                                  user=user, items=items, link=email_link("home.index"),
                                  unsubscribe=link)
            message.unsubscribe_url = link
            sent += 1
        db.session.commit()
