"""Changes a phone made while offline and sent again when the signal came back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class ReplayedChange(db.Model):
    """The key of one change (an Add, a stepper change, a list edit) a user's phone sent, so
    the same change sent again (its answer was lost, or the offline queue replays it) is done
    once. Written in the change's own transaction: services/ordering/replays.py."""

    __tablename__ = "replayed_changes"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_replayed_changes_user_key"),
                      Index("ix_replayed_changes_created_at", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
