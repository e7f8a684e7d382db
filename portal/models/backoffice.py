"""Seller-side records: account applications, the outbox, CSV import jobs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import Company
from portal.models.base import UTCDateTime, str_enum, utcnow


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class AccountApplication(db.Model):
    __tablename__ = "account_applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), unique=True)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus, "application_status"), index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped[Company] = relationship()


class OutboxMessage(db.Model):
    """An email written in the same transaction as the change that caused it.

    `portal worker` delivers it over SMTP; nothing is sent from inside a request.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unsent", "sent_at", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # reset, invite, order_placed, ...
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    # Sent as List-Unsubscribe (+ one-click POST, RFC 8058) when the e-mail is one a person
    # asked for and may stop (the weekly digest).
    unsubscribe_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Set (committed) just before the SMTP conversation: a row still "sending" after a crash
    # may have reached the server, so it is never resent by itself (dead, for staff).
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Given up: after the last attempt, or when a crash left it in doubt. Staff may retry.
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Chosen at the first attempt and kept: a copy that did get through twice is one message
    # to the recipient's mail client.
    message_id: Mapped[str] = mapped_column(String(250), default="")


class ImportStatus(StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    CHECKED = "checked"
    COMMITTING = "committing"
    DONE = "done"
    FAILED = "failed"


class ImportJob(db.Model):
    """A CSV migration: dry run first, then an all-or-nothing commit, with progress."""

    __tablename__ = "import_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # customers, products, prices, stock
    filename: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    # A media import's ZIP of the files its rows name (None for other kinds); dropped once done.
    archive: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus, "import_status"))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The worker running it and until when: a worker that dies lets the lease run out and
    # another one takes the job over (the commit is one transaction, so it starts afresh).
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
