"""Changes sent again: a phone that lost the signal keeps its Adds, stepper changes and list
edits (static/js/offline.js) and sends them when it is back, each with the key it was first
sent with (an `Idempotency-Key` header). The key is written in the change's own transaction,
so the change and its key commit together or not at all: a second request with the key (the
first answer was lost on a weak signal, or the queue replays it) does nothing.

Keys older than KEEP_DAYS are forgotten (the worker's daily purge): a phone does not keep a
change waiting that long.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import ReplayedChange

KEEP_DAYS = 30
MAX_KEY_LENGTH = 64


def valid_replay_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def first_time_change(user_id: int, key: str, now: datetime) -> bool:
    """Whether this user's change with this key is new: then the key is held by this
    transaction (a concurrent duplicate waits on it on PostgreSQL, then finds it)."""
    known = select(ReplayedChange.id).where(ReplayedChange.user_id == user_id,
                                           ReplayedChange.key == key)
    if db.session.scalar(known) is not None:
        return False
    try:
        db.session.add(ReplayedChange(user_id=user_id, key=key, created_at=now))
        db.session.flush()
    except IntegrityError:
        # The same change, sent twice at once, committed first: it stands. Nothing else was
        # done yet in this request's transaction, so rolling it back loses nothing.
        db.session.rollback()
        return False
    return True


def forget_replay_keys(now: datetime) -> int:
    done = db.session.execute(delete(ReplayedChange).where(
        ReplayedChange.created_at < now - timedelta(days=KEEP_DAYS)))
    db.session.commit()
    return done.rowcount
