"""What the rows of a results page share is worked out once for the page (the `kit` of
catalog/_row.html and _macros.html), once for a row answered alone, and by the buy box of the
product page for itself: the three ways give the same HTML, and a product's name is escaped
once in every label it goes into."""

import re

from portal.extensions import db
from tests import factories as f
from tests.conftest import htmx_headers, login

NAME = 'Vis <b>&"4x40"</b> l\'été'
ESCAPED = "Vis &lt;b&gt;&amp;&#34;4x40&#34;&lt;/b&gt; l&#39;été"


def _article(response, product_id: int) -> str:
    """A product's row in a page or a fragment, without the per-request tokens."""
    found = re.search(rf'<article id="p-{product_id}".*?</article>', f.main_of(response), re.S)
    assert found, f"no row for product {product_id}"
    return found.group(0)


def _buy_form(html: str) -> str:
    found = re.search(r'<form class="buy".*?</form>', html, re.S)
    assert found
    return found.group(0)


def _odd_product(world):
    p = f.product(world.categories["tools"], "ODD-1", price_list=world.base, case_pack=12,
                  order_multiple=1, tiers={1: 500, 12: 465}, name_fr=NAME, name_en=NAME)
    db.session.commit()
    return p


def test_a_row_answered_alone_is_the_row_of_the_page(client, world):
    _odd_product(world)
    login(client, world.a.buyer)
    url = f"/catalog/c/{world.categories['tools'].id}"
    page = client.get(url)
    ids = f.row_ids(page.get_data(as_text=True))
    assert len(ids) >= 4
    for product_id in ids:
        row = _article(page, product_id)
        typed = re.search(r'name="qty"[^>]*value="([^"]*)"', row, re.S)
        if typed is None:  # no buy form (no price): nothing to tap
            continue
        alone = client.post(f"/catalog/p/{product_id}/qty",
                            data={"qty": typed.group(1), "view": "row", "next": url},
                            headers=htmx_headers(f"p-{product_id}"))
        assert alone.status_code == 200
        assert _article(alone, product_id) == row


def test_the_product_page_s_buy_form_is_a_row_s_but_for_its_place(client, world):
    """The buy box works out alone (no kit) what a page of rows shares."""
    odd = _odd_product(world)
    login(client, world.a.buyer)
    url = f"/catalog/c/{world.categories['tools'].id}"
    row = _buy_form(_article(client.get(url), odd.id))
    box = _buy_form(f.main_of(client.get(f"/catalog/p/{odd.id}")))
    box = re.sub(r'\s*<div class="to-list">.*?</div>', "", box, flags=re.S)
    box = box.replace('name="view" value="page"', 'name="view" value="row"').replace(
        "qty-page-", "qty-row-").replace('hx-target="#buy"', f'hx-target="#p-{odd.id}"').replace(
        f'name="next" value="/catalog/p/{odd.id}"', f'name="next" value="{url}"')
    assert box == row


def test_a_name_is_escaped_once_in_every_label_of_its_row(client, world):
    odd = _odd_product(world)
    login(client, world.a.buyer)
    row = _article(client.get(f"/catalog/c/{world.categories['tools'].id}"), odd.id)
    hint = _article(client.post(f"/catalog/p/{odd.id}/qty", data={"qty": "11", "view": "row"},
                                headers=htmx_headers(f"p-{odd.id}")), odd.id)
    assert 'class="roundup"' in hint
    for html in (row, hint):
        # The link, the offline queue's name, the quantity's label, Add, −, + (and Take 12).
        assert html.count(ESCAPED) >= 6
        assert "&amp;lt;" not in html and "<b>" not in html


def test_a_storefront_visitor_s_form_in_a_row_is_the_product_page_s(client, world):
    """The visitor's form (consumer storefront, no account) from the page's kit and alone."""
    cement = world.products["cement"]
    f.consumer_storefront({cement: 1000})
    url = f"/catalog/c/{world.categories['tools'].id}"
    row = _article(client.get(url, base_url=f.DIRECT), cement.id)
    form = re.search(r'<form [^>]*class="visitor-buy".*?</form>', row, re.S)
    assert form
    assert form.group(0) in f.main_of(client.get(f"/catalog/p/{cement.id}", base_url=f.DIRECT))
