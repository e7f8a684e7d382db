"""Storefronts for tests: a consumer storefront on its own host with a public price list."""

from portal.extensions import db
from portal.models import PriceTier, Storefront, StorefrontKind
from tests.factories.catalog import price_list

DIRECT_HOST = "direct.example.test"
DIRECT = f"http://{DIRECT_HOST}"


def consumer_storefront(priced: dict) -> Storefront:
    """"Direct Chantier" on DIRECT_HOST, prices with VAT, its list pricing each given product
    ({product: unit cents}); committed."""
    public = price_list("PUBLIC")
    for product, cents in priced.items():
        db.session.add(PriceTier(price_list_id=public.id, product_id=product.id, min_qty=1,
                                 unit_price_cents=cents))
    front = Storefront(code="direct", kind=StorefrontKind.CONSUMER, name="Direct Chantier",
                       hosts=DIRECT_HOST, prices_with_vat=True, brand_colour="#7a1f1f",
                       price_list_id=public.id)
    db.session.add(front)
    db.session.commit()
    return front
