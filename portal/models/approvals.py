"""Approval rules (scope, conditions, ordered steps), per-order requests, and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import Role, User
from portal.models.base import UTCDateTime, str_enum, utcnow


class ApprovalRule(db.Model):
    """Conditions are combined with AND; a rule with none set matches every order in scope."""

    __tablename__ = "approval_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    # None: the whole company; else this unit and the units below it.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    min_total_cents: Mapped[int | None] = mapped_column(Integer)
    when_over_order_limit: Mapped[bool] = mapped_column(Boolean, default=False)
    when_over_user_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    when_over_unit_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    jobsite_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    steps: Mapped[list[ApprovalStep]] = relationship(
        back_populates="rule", order_by="ApprovalStep.position", cascade="all, delete-orphan"
    )


class ApprovalStep(db.Model):
    __tablename__ = "approval_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("approval_rules.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Either a role looked up in the ordering unit's ancestry, or a named user.
    approver_role: Mapped[Role | None] = mapped_column(str_enum(Role, "role"))
    approver_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The step applies only when the order total is above this (e.g. admin above 5,000 EUR).
    min_total_cents: Mapped[int | None] = mapped_column(Integer)

    rule: Mapped[ApprovalRule] = relationship(back_populates="steps")
    approver_user: Mapped[User | None] = relationship()


class ApprovalStatus(StrEnum):
    WAITING = "waiting"  # an earlier step is not decided yet
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # the order changed; a new request replaced this one


class ApprovalRequest(db.Model):
    __tablename__ = "approval_requests"
    __table_args__ = (
        Index("ix_approval_requests_status", "status", "approver_user_id"),
        Index("ix_approval_requests_order", "order_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("approval_rules.id"))
    # Who may decide: resolved at submit time into a unit + role, or a named user.
    approver_role: Mapped[Role | None] = mapped_column(str_enum(Role, "role"))
    approver_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    approver_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # Why, as data (reason codes, amounts, names per language), put into words in the
    # reader's language by approval_words.request_reason; `reason` is the older text.
    reason_data: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[ApprovalStatus] = mapped_column(str_enum(ApprovalStatus, "approval_status"))
    content_version: Mapped[int] = mapped_column(Integer, default=1)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class AuditEntry(db.Model):
    """Who did what, when: decisions, trims, rule and user changes, staff actions."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Seller staff acting on a customer's behalf.
    acting_staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
