"""Builders for the quick order, cart and checkout tests (cart lines, rules, tokens)."""

import re

from portal.extensions import db
from portal.models import ApprovalRule, ApprovalStep, Cart, CartLine, Order, Role

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def cart_with(user, *lines):
    """Put (product, quantity[, note]) lines straight in the user's cart; returns the lines."""
    cart = db.session.query(Cart).filter_by(user_id=user.id).one_or_none()
    if cart is None:
        cart = Cart(user_id=user.id, company_id=user.company_id)
        db.session.add(cart)
        db.session.flush()
    made = []
    for position, (product, quantity, *rest) in enumerate(lines):
        line = CartLine(cart_id=cart.id, product_id=product.id, quantity=quantity,
                        note=rest[0] if rest else "", position=position)
        db.session.add(line)
        made.append(line)
    db.session.commit()
    return made


def approval_over_limit(company, approver_role=Role.APPROVER):
    """Orders over the buyer's own limit wait for an approver of the buyer's unit."""
    rule = ApprovalRule(company_id=company.id, name="Over limit", active=True, position=0,
                        when_over_order_limit=True)
    rule.steps.append(ApprovalStep(position=0, approver_role=approver_role))
    db.session.add(rule)
    db.session.commit()
    return rule


def checkout_token(client) -> str:
    page = client.get("/checkout/")
    assert page.status_code == 200, page.status_code
    found = TOKEN.search(page.get_data(as_text=True))
    assert found
    return found.group(1)


def orders_of(company) -> list[Order]:
    db.session.expire_all()
    return list(db.session.query(Order).filter_by(company_id=company.id).order_by(Order.id))
