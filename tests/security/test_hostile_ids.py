"""Hostile ids (Hypothesis): ids typed into forms and ids in URLs, across every feature
and role: the user's own object, a refusal or a 404; never a 5xx.

The shared values, rules and bookkeeping are in tests/security/hostile.py.
"""

import re
from collections import Counter

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from portal.extensions import db
from portal.models import CartLine, PriceTier, ShoppingList
from tests.security.hostile import (
    LONG_REPR,
    TALLY,
    THROUGH_APP,
    check_answer,
    count,
    judge,
    post,
    received,
    report_figures,
    signed_in,
)

pytestmark = LONG_REPR


ids = st.one_of(st.sampled_from(["9" * 30, "99999999999", "2147483648", "-1", "١", "１",
                                 "0", "1.0", "1e3", "\x00", "", " 1"]),
                st.integers(0, 10**25).map(str), st.integers(1, 12).map(str),
                st.text(max_size=6))


def test_ids_typed_into_forms_never_crash_and_never_store_anything_else(app, world):
    """Ids that forms send back (a removed product, a jobsite, a price list, orders to
    approve, a page cursor): an id of the user's own objects, or a refusal; never a 5xx."""
    buyer = signed_in(app, world.a.buyer)
    approver = signed_in(app, world.a.approver)
    staff = signed_in(app, world.staff)
    products = {p.id for p in world.products.values()}
    sites = {s.id for s in world.a.sites}
    screws_id = world.products["screws"].id

    def an_id(raw: str, among: set[int]) -> bool:
        return raw.isascii() and raw.isdigit() and int(raw) in among

    @THROUGH_APP
    @given(raw=ids)
    @example(raw="99999999999")
    @example(raw="9" * 30)
    def run(raw):
        db.session.execute(CartLine.__table__.delete())
        db.session.commit()
        before = (count(ShoppingList), count(PriceTier))
        answer = post(buyer, "/cart/line/restore", {"product_id": raw, "quantity": "1"})
        restored = an_id(received(raw), products)
        check_answer(answer, restored, [raw])
        judge("app", int(restored), count(CartLine))
        answer = post(buyer, "/lists/new", {"name": "Liste", "jobsite": raw})
        filed = not received(raw).strip() or an_id(received(raw).strip(), sites)
        check_answer(answer, filed, [raw])
        # Every price list already has the screws' first tier: nothing may be added.
        answer = post(staff, f"/staff/catalog/products/{screws_id}/prices",
                      {"price_list": raw, "min_qty": "1", "unit_price": "1"})
        check_answer(answer, False, [raw])
        judge("app", (before[0] + filed, before[1]), (count(ShoppingList), count(PriceTier)))
        answer = post(approver, "/approvals/bulk", {"request_id": raw})
        assert answer.status_code in (400, 404, 422), answer.status_code  # none of theirs
        for args in ({"cursor": f"1.{raw}"}, {"jobsite": raw}, {"page": raw}):
            response = buyer.get("/orders/", query_string=args)
            TALLY["app requests"] += 1
            TALLY["app 5xx"] += response.status_code >= 500
            assert response.status_code == 200, (args, response.status_code)

    with app.test_request_context():  # the rules' messages are translated
        run()


@pytest.mark.parametrize("number", [2**31, 99_999_999_999, 10**30])
def test_ids_beyond_what_the_database_holds_in_urls_are_a_404(app, world, number):
    """Every route with an id in its path, as each role: a number past the 32-bit ids is a
    page that does not exist (404; 405 where the same path has a route for another method),
    not a query the database refuses."""
    answers = Counter()
    for user in (world.a.buyer, world.a.approver, world.a.admin, world.staff, world.fulfilment):
        client = signed_in(app, user)
        for rule in app.url_map.iter_rules():
            names = [n for n, c in rule._converters.items() if type(c).__name__ == "IdConverter"]
            if not names:
                continue
            # Other parts take a value their converter accepts ("x", or a choice's first).
            others = {n: min(getattr(c, "items", None) or ["x"])
                      for n, c in rule._converters.items()}
            _host, url = rule.build(dict.fromkeys(rule.arguments, "x") | others
                                    | dict.fromkeys(names, 1), append_unknown=False)
            url = re.sub(r"/1(?=/|$)", f"/{number}", url)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                response.close()
                TALLY["app requests"] += 1
                TALLY["app 5xx"] += response.status_code >= 500
                answers[response.status_code] += 1
                assert response.status_code in (404, 405), (user.role.value, method, url)
    assert answers[404] > 100, answers


def test_zz_figures(figure):
    """This file's counts (shown in the run's final figures section)."""
    report_figures(figure, "ids")
