"""Controls repeated on every product row or cart line carry their product in their accessible
name ("Moins — Vis 4x40", not "Moins" twenty times), in French and in English. The e2e suite
(e2e/test_ergonomics.py) checks whole pages in Chromium; these check the names the templates
give, including the round-up button that the demo's key pages do not show."""

from html.parser import HTMLParser

import pytest

from portal.extensions import db
from portal.i18n import catalog_for
from tests import factories as f
from tests.conftest import login


class _Names(HTMLParser):
    """Accessible names of buttons and text fields, the way a browser computes the simple cases:
    aria-label, else the button's text (visually hidden text included), else the field's label."""

    def __init__(self):
        super().__init__()
        self.buttons, self.fields, self.labels = [], {}, {}
        self._button = self._label = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "button":
            self._button = [a["aria-label"]] if "aria-label" in a else []
            self._fixed = "aria-label" in a
        elif tag == "label" and a.get("for"):
            self._label = (a["for"], [])
        elif tag == "input" and a.get("type", "text") == "text" and a.get("id"):
            self.fields[a["id"]] = None

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.buttons.append(" ".join("".join(self._button).split()))
            self._button = None
        elif tag == "label" and self._label:
            self.labels[self._label[0]] = " ".join("".join(self._label[1]).split())
            self._label = None

    def handle_data(self, data):
        if self._button is not None and not self._fixed:
            self._button.append(data)
        if self._label:
            self._label[1].append(data)

    def field_names(self):
        return [self.labels.get(field_id, "") for field_id in self.fields]


def names(html: str) -> _Names:
    parser = _Names()
    parser.feed(html)
    return parser


def _french(message: str, **values) -> str:
    return catalog_for.__wrapped__("fr").gettext(message) % values


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", [_french("Take %(n)s", n=12) + " — {}", "Moins — {}", "Plus — {}",
            "Ajouter au panier — {}", "Quantité de {}"]),
    ("en", ["Take 12 — {}", "Fewer — {}", "More — {}", "Add to cart — {}", "Quantity of {}"]),
])
def test_the_stepper_and_its_round_up_button_name_their_product(client, world, lang, expected):
    p = f.product(world.categories["tools"], "CASE-12", price_list=world.base, case_pack=12,
                  order_multiple=1, tiers={1: 500, 12: 465}, name_fr="Vis 4x40",
                  name_en="Screw 4x40")
    world.a.buyer.language = lang
    db.session.commit()
    login(client, world.a.buyer)
    page = names(client.get(f"/catalog/p/{p.id}?qty=10").get_data(as_text=True))
    product = "Vis 4x40" if lang == "fr" else "Screw 4x40"
    for name in expected:
        assert name.format(product) in page.buttons + page.field_names(), name


def test_two_cart_lines_share_no_control_name(client, world):
    login(client, world.a.buyer)
    for product in (world.products["screws"], world.products["cement"]):
        client.post(f"/catalog/p/{product.id}/cart", data={"qty": "10", "view": "page"})
    page = names(client.get("/cart/").get_data(as_text=True))
    controls = [n for n in page.buttons + page.field_names() if n]
    assert len(controls) > 10
    shared = {n for n in controls if controls.count(n) > 1}
    assert not shared, shared
