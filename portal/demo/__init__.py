"""The deterministic demo data set."""

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_emails() -> Iterator[None]:
    """Seeded like the history: the e-mails the services queue inside are dropped."""
    from sqlalchemy import delete, func, select

    from portal.extensions import db
    from portal.models import OutboxMessage

    last_mail = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    yield
    db.session.flush()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > last_mail))
