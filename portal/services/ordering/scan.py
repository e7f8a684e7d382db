"""Adding a product by its code, typed or scanned: one rule for both.

A code is a SKU or a GTIN (the number under a barcode, at any of its lengths); the product
is found among those this buyer may see, and added with its default quantity (one case, or
the selling multiple) unless a quantity is given. An unknown code, a product this buyer may
not see and a barcode that decoded to garbage get the same answer as an unknown typed SKU; a
GTIN whose check digit is wrong says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.extensions import db
from portal.models import Product, ShoppingList
from portal.services import DomainError
from portal.services.ordering import cart as cart_service
from portal.services.ordering import lists as lists_service
from portal.services.ordering.paste import RawLine
from portal.services.ordering.quick_order import LineResult, run_check
from portal.services.ordering.sku_lookup import bad_check_digit, normalize_sku, skus_for_gtins
from portal.services.quantities import parse_quantity
from portal.services.selling import QuantityRule, offers_for, visible_products

MAX_CODE = 40


@dataclass(frozen=True)
class Added:
    """What a code added: the product, how many, and the line's quantity now."""

    product: Product
    quantity: int
    line_quantity: int
    code: str

    def message(self, lang: str) -> str:
        """The line a code added, said so the buyer sees which product went where."""
        name = self.product.name(lang)
        if self.line_quantity != self.quantity:
            return _("Added: %(qty)s × %(name)s (%(sku)s). The line now holds %(total)s.",
                     qty=self.quantity, name=name, sku=self.product.sku,
                     total=self.line_quantity)
        return _("Added: %(qty)s × %(name)s (%(sku)s).", qty=self.quantity, name=name,
                 sku=self.product.sku)


def find_by_code(user, raw: str) -> Product:
    """The visible product whose SKU or GTIN this is; DomainError saying why not."""
    code = normalize_sku(raw)
    if not code:
        raise DomainError(_("Enter a SKU."))
    if len(code) > MAX_CODE or not code.isprintable():
        raise DomainError(_("Unknown SKU"))
    sku = skus_for_gtins(user, [code]).get(code, code)
    product = db.session.scalars(visible_products(user).where(Product.sku == sku)).first()
    if product is None:
        if bad_check_digit(code):
            raise DomainError(_("This barcode number is wrong: its last digit does not match. "
                                "Check the digits or scan again."))
        raise DomainError(_("Unknown SKU"))
    return product


def _cart_quantity(user, product: Product, raw_quantity: str | None) -> int:
    if (raw_quantity or "").strip():
        return parse_quantity(raw_quantity)
    offer = offers_for(user).get(product)
    if offer is None or not offer.sellable:
        raise DomainError(_("This product has no price for your account yet. Please contact us."))
    return offer.rule.default()


def _list_quantity(product: Product, raw_quantity: str | None) -> int:
    # A list holds no price: its quantity rule is the product's own (as lists.add_to_list).
    if (raw_quantity or "").strip():
        return parse_quantity(raw_quantity)
    return QuantityRule.of(product.case_pack, product.order_multiple).default()


def add_code_to_cart(user, raw: str, raw_quantity: str | None = None) -> Added:
    product = find_by_code(user, raw)
    quantity = _cart_quantity(user, product, raw_quantity)
    line = cart_service.add_to_cart(user, product, quantity)
    return Added(product, quantity, line.quantity, normalize_sku(raw))


def add_code_to_list(user, shopping_list: ShoppingList, raw: str,
                     raw_quantity: str | None = None) -> Added:
    product = find_by_code(user, raw)
    quantity = _list_quantity(product, raw_quantity)
    line = lists_service.add_to_list(user, shopping_list, product, quantity)
    return Added(product, quantity, line.quantity, normalize_sku(raw))



def code_to_row(user, raw: str, lang: str = "fr") -> LineResult:
    """A quick-order row for a code: its product's SKU and default quantity, checked as a
    typed row is (nothing is added to the cart until the buyer adds the rows)."""
    product = find_by_code(user, raw)
    quantity = _cart_quantity(user, product, None)
    return run_check(user, [RawLine("row", 1, product.sku, str(quantity))], lang).lines[0]
