"""Extra builders for the back-office tests: orders, rep assignments, applications."""

import itertools
from datetime import UTC, datetime

from portal.extensions import db
from portal.models import (
    AccountApplication,
    ApplicationStatus,
    Company,
    CompanyStatus,
    Order,
    OrderLine,
    OrderStatus,
    PaymentTerms,
    RepAssignment,
    Role,
    User,
)

_numbers = itertools.count(1)


def assign(rep, company) -> RepAssignment:
    row = RepAssignment(rep_id=rep.id, company_id=company.id)
    db.session.add(row)
    db.session.flush()
    return row


def order(company, user, lines, status=OrderStatus.SUBMITTED, placed_at=None) -> Order:
    """lines: [(product, quantity, unit_price_cents)]; the total is their sum."""
    o = Order(number=f"T{next(_numbers):06d}", company_id=company.id, placed_by_id=user.id,
              payment_terms=PaymentTerms.NET30, status=status,
              placed_at=placed_at or datetime.now(UTC))
    total = 0
    for position, (product, quantity, price) in enumerate(lines):
        o.lines.append(OrderLine(position=position, product_id=product.id, sku=product.sku,
                                 name=product.name_fr, quantity=quantity,
                                 unit_price_cents=price, line_total_cents=quantity * price))
        total += quantity * price
    o.subtotal_cents = o.total_cents = total
    db.session.add(o)
    db.session.flush()
    return o


def application(name="Durand Bâtiment", trade="building_contractor",
                email="julien@durand.example", legal_id="73282932000074") -> AccountApplication:
    company = Company(name=name, legal_id=legal_id, trade=trade, status=CompanyStatus.PENDING)
    db.session.add(company)
    db.session.flush()
    db.session.add(User(email=email, name="Julien Moreau", company_id=company.id,
                        role=Role.COMPANY_ADMIN, password_hash="", language="fr"))
    app_row = AccountApplication(company_id=company.id, contact_name="Julien Moreau",
                                 contact_email=email, contact_phone="0612345678",
                                 status=ApplicationStatus.PENDING)
    db.session.add(app_row)
    db.session.flush()
    return app_row
