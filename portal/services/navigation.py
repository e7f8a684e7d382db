"""Facts shown on every page for a signed-in user: company, current jobsite, cart count."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Cart, CartLine, User


def cart_count(user: User) -> int:
    if user.company_id is None:
        return 0
    return db.session.scalar(
        select(func.count(CartLine.id)).join(Cart).where(Cart.user_id == user.id)
    ) or 0


def header_facts(user: User) -> dict:
    return {
        "company": user.company.name if user.company else None,
        "jobsite": user.last_jobsite.name if user.last_jobsite else None,
        "cart_count": cart_count(user),
    }
