"""Storefronts: several portals (trade, consumer, employee, public sector) on one data store.

A storefront is chosen by the request's host name (services/storefronts). Each company
belongs to one storefront, whose people may sign in there and only there; each order records
the storefront it was placed on. The trade portal is storefront 1 and, while no host is set
for it, answers every host no other storefront claims (exactly as before storefronts).
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

TRADE_ID = 1


def storefront_column():
    """`storefront_id` on a big existing table: 1 (the trade portal) by default."""
    return mapped_column(Integer, default=TRADE_ID, server_default=str(TRADE_ID))


def storefront_key(table: str) -> ForeignKeyConstraint:
    """Its foreign key, made on PostgreSQL only: SQLite cannot add a REFERENCES column with a
    default to a table that has rows without copying the table (see the migration)."""
    return ForeignKeyConstraint(["storefront_id"], ["storefronts.id"],
                                name=f"fk_{table}_storefront_id_storefronts"
                                ).ddl_if(dialect="postgresql")


class StorefrontKind(enum.StrEnum):
    TRADE = "trade"
    CONSUMER = "consumer"
    EMPLOYEE = "employee"
    PUBLIC = "public"


class Storefront(db.Model):
    __tablename__ = "storefronts"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[StorefrontKind] = mapped_column(
        Enum(StorefrontKind, native_enum=False, create_constraint=False, length=16,
             values_callable=lambda kinds: [k.value for k in kinds]),
        default=StorefrontKind.TRADE)
    name: Mapped[str] = mapped_column(String(80))
    # Host names it answers, lowercase, separated by spaces ("direct.example.fr shop.example.fr").
    hosts: Mapped[str] = mapped_column(Text, default="", server_default="")
    language: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    country: Mapped[str] = mapped_column(String(2), default="FR", server_default="FR")
    currency: Mapped[str] = mapped_column(String(3), default="EUR", server_default="EUR")
    # Consumers see prices with VAT; trade buyers without.
    prices_with_vat: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default="0")
    # The colour of its header and links, "#rrggbb" (white text on it must stay readable).
    brand_colour: Mapped[str] = mapped_column(String(7), default="#0b4f6c",
                                              server_default="#0b4f6c")
    # Prices shown to visitors who are not signed in (none: "sign in to see prices").
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_lists.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Its legal mentions (the seller's registration, VAT number and address in that country),
    # printed in its footer and on the invoices of its orders; "" for none.
    legal_mentions: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A path of its own on a shared host ("/direct"), for a seller with one domain; "" for none.
    path_prefix: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Its logo in the header: the storage's StoredImage as JSON (as product pictures), or None.
    logo: Mapped[dict | None] = mapped_column(JSON)

    def host_names(self) -> list[str]:
        return self.hosts.split()


class CrewStore(db.Model):
    """An employee store the seller opened for a customer company: its company admin may put
    the company's people there and choose what they see (services/storefronts/crew.py)."""

    __tablename__ = "crew_stores"
    __table_args__ = (UniqueConstraint("company_id", "storefront_id", name="uq_crew_stores"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    storefront_id: Mapped[int] = mapped_column(ForeignKey("storefronts.id"))


# A schema made by create_all (tests, a scratch database) starts with the trade portal too, as
# the migration makes it: every company and order points at row 1.
TRADE_ROW = ("INSERT INTO storefronts (id, code, kind, name, hosts, language, country, currency, "
             "prices_with_vat, brand_colour, active) VALUES (1, 'trade', 'trade', "
             "'Pro Fournitures', '', 'fr', 'FR', 'EUR', false, '#0b4f6c', true)")
event.listen(Storefront.__table__, "after_create", DDL(TRADE_ROW))
event.listen(Storefront.__table__, "after_create", DDL(
    "SELECT setval('storefronts_id_seq', 1)").execute_if(dialect="postgresql"))
