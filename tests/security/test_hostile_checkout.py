"""Hostile input (Hypothesis) for checkout: the delivery date, PO number and notes
parsers, then the checkout form through the app.

The shared values, rules and bookkeeping are in tests/security/hostile.py.
"""

import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import CartLine, Order, Product
from portal.services.ordering import cart as cart_service
from portal.services.ordering import checkout as ordering
from tests.security.hostile import (
    LONG_REPR,
    PAYLOADS,
    PURE,
    THROUGH_APP,
    check_answer,
    count,
    hostile_text,
    judge,
    page_shows_escaped,
    parsed_or_none,
    post,
    received,
    report_figures,
    signed_in,
)

pytestmark = LONG_REPR


TODAY = date(2026, 11, 22)


@PURE
@given(raw=st.one_of(
    st.integers(-3, 400).map(lambda d: (TODAY + timedelta(days=d)).isoformat()),
    st.dates().map(date.isoformat),
    st.builds(lambda d, pad: pad + (TODAY + timedelta(days=d)).isoformat() + pad,
              st.integers(1, 30), st.sampled_from([" ", "\t", "\n"])),
    st.sampled_from(["２０２７-０１-０１", "٢٠٢٧-٠١-٠١", "2027-1-1", "2027-02-30", "20270101",
                     "2026-11-23T00:00", "2026-11-23\x00", "tomorrow", "9" * 20, "0000-00-00"]),
    st.text(max_size=12),
))
def test_a_delivery_date_is_tomorrow_to_a_year_ahead_or_refused(raw):
    text = raw.strip()
    expected = None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            wanted = date.fromisoformat(text)
        except ValueError:
            wanted = None
        if wanted and TODAY < wanted <= TODAY + timedelta(days=365):
            expected = wanted
    got = parsed_or_none(ordering.clean_date, raw, TODAY, errors=(ValueError,))
    judge("parser", expected, got)


@PURE
@given(raw=hostile_text, required=st.booleans())
def test_a_po_number_is_printable_text_of_40_characters_or_refused(raw, required):
    value = " ".join(raw.split())
    expected = value if (value or not required) and len(value) <= 40 \
        and value.isprintable() else None
    judge("parser", expected, parsed_or_none(ordering.clean_po, raw, required,
                                             errors=(ValueError,)))


@PURE
@given(raw=hostile_text)
def test_order_notes_are_text_of_1000_characters_or_refused(raw):
    value = raw.replace("\r\n", "\n").strip()
    expected = value if len(value) <= 1000 and all(
        c.isprintable() or c in "\n\t" for c in value) else None
    judge("parser", expected, parsed_or_none(ordering.clean_notes, raw, errors=(ValueError,)))


dates = st.one_of(
    st.just(""),
    st.integers(-2, 400).map(lambda d: (datetime.now(UTC) + timedelta(days=d)).date()
                             .isoformat()),
    st.sampled_from(["２０２７-０１-０１", "2027-1-1", "2027-02-30", "tomorrow", "\x00"]),
    st.integers(1, 300).map(lambda d: (datetime.now(UTC) + timedelta(days=d)).date()
                            .isoformat() + " " * 12 + "x"),
    st.text(max_size=12),
)
po_numbers = st.one_of(hostile_text, st.text(alphabet="BC-0123456789 ", max_size=45),
                       st.just("PO1" + " " * 300 + "X"))


def test_checkout_places_an_order_only_with_valid_fields_and_stores_them_exactly(app, world):
    client = signed_in(app, world.a.buyer)
    buyer, screws = world.a.buyer, world.products["screws"]
    place = ordering.delivery_places(buyer)[0].key
    today = ordering.local_today(datetime.now(UTC))

    @THROUGH_APP
    @given(po=po_numbers, notes=hostile_text, when=dates)
    @example(po="PO1" + " " * 300 + "X", notes=PAYLOADS[2], when="")
    @example(po=PAYLOADS[0][:40], notes="ligne 1\r\nligne 2", when="2027-1-1")
    def run(po, notes, when):
        if not db.session.scalar(select(func.count(CartLine.id))):
            cart_service.add_many(buyer, [(db.session.get(Product, screws.id), 2, "")])
            db.session.commit()
        orders_before, token = count(Order), ordering.new_submit_token()
        answer = post(client, "/checkout/", {"place": place, "requested_date": when,
                                             "po_number": po, "notes": notes, "token": token})
        values = []
        for rule, raw in ((ordering.clean_po, (received(po), False)),
                          (ordering.clean_notes, (received(notes),)),
                          (ordering.clean_date, (received(when), today))):
            values.append(parsed_or_none(rule, *raw, errors=(ValueError,)))
        accepted = values[0] is not None and values[1] is not None and (
            values[2] is not None or not received(when).strip())
        check_answer(answer, accepted, [po, notes, when])
        judge("app", orders_before + accepted, count(Order))
        if accepted:
            order = db.session.scalar(select(Order).where(Order.submit_token == token))
            judge("app", tuple(values), (order.po_number, order.notes, order.requested_date))
            page_shows_escaped(client, f"/orders/{order.id}")

    with app.test_request_context():  # the rules' messages are translated
        run()


def test_zz_figures(figure):
    """This file's counts (shown in the run's final figures section)."""
    report_figures(figure, "checkout")
