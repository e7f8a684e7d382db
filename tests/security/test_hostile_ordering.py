"""Hostile input (Hypothesis) for ordering: quantities, pasted and uploaded quick-order
lines, then the quick order, cart and shopping-list forms through the app.

The shared values, rules and bookkeeping are in tests/security/hostile.py.
"""

from collections import Counter

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.extensions import db
from portal.models import CartLine, ShoppingList, ShoppingListLine
from portal.services.ordering import cart as cart_service
from portal.services.ordering.paste import decode_bytes, parse_csv, parse_text
from portal.services.ordering.quick_order import ERROR, check_lines
from portal.services.quantities import MAX_QUANTITY, parse_quantity
from tests.security.hostile import (
    LONG_REPR,
    PAYLOADS,
    PURE,
    TALLY,
    THROUGH_APP,
    check_answer,
    count,
    fresh,
    hostile_text,
    judge,
    page_shows_escaped,
    parsed_or_none,
    post,
    quantities,
    quantity_rule,
    received,
    report_figures,
    signed_in,
    text_rule,
)

pytestmark = LONG_REPR


@PURE
@given(raw=quantities, maximum=st.one_of(st.just(MAX_QUANTITY), st.integers(1, MAX_QUANTITY)))
def test_a_quantity_is_a_clean_positive_integer_within_the_maximum_or_refused(raw, maximum):
    judge("parser", quantity_rule(raw, maximum), parsed_or_none(parse_quantity, raw, maximum))


@pytest.mark.parametrize("raw", [
    "-1", "1.5", "１２", "١٢", "1_000", "sNaN", "1e3", "Infinity", "0x10", "+5", "0",
    "100000", "9" * 30, "", "  ", "12\x00", "1 000", "½", "𝟙𝟚",
])
def test_the_named_hostile_quantities_are_refused(raw):
    assert parsed_or_none(parse_quantity, raw) is None


@pytest.mark.parametrize(("raw", "value"), [
    ("1", 1), (" 12 ", 12), ("\t7\n", 7), ("000007", 7), ("99999", 99_999)])
def test_plain_digits_with_surrounding_spaces_are_quantities(raw, value):
    assert parse_quantity(raw) == value


@PURE
@given(raw=st.one_of(st.none(), st.integers(-5, 10**7), st.floats(allow_nan=True),
                     st.decimals(allow_nan=True), st.booleans()))
def test_a_quantity_that_is_not_text_follows_the_same_rule(raw):
    expected = quantity_rule("" if raw is None else str(raw))
    judge("parser", expected, parsed_or_none(parse_quantity, raw))


def must_report(text: str) -> set[int]:
    """Lines holding anything beyond blanks, separators and quotes: each must come back."""
    return {n for n, line in enumerate(text.splitlines(), 1)
            if line.translate(str.maketrans("", "", '\t;,"')).strip()}


skus = st.sampled_from(["VIS-440", "vis-440", "CIM 35", "GANT-9", "NOPE-1", "", "Qté", "SKU",
                        "ref", *PAYLOADS])
paste_lines = st.builds(
    lambda sku, sep, qty: f"{sku}{sep}{qty}", st.one_of(skus, st.text(max_size=12)),
    st.sampled_from(["\t", ";", ",", " ", "  ", ";;", '"', ""]),
    st.one_of(quantities, st.text(max_size=6)))
pastes = st.one_of(
    st.lists(st.one_of(paste_lines, st.sampled_from(["", " ", ";;", '"', "SKU;Qty"])),
             max_size=12).map("\n".join),
    st.lists(paste_lines, max_size=6).map("\r\n".join),
    st.text(max_size=200),
)


@PURE
@given(text=pastes)
def test_a_paste_becomes_lines_and_no_line_with_content_is_dropped(text):
    parsed = parsed_or_none(parse_text, text)
    numbers = [line.line_no for line in parsed.lines]
    assert len(numbers) == len(set(numbers)), "a line is read once"
    missing = must_report(text) - set(numbers)
    if parsed.header and missing and min(missing) < min(numbers, default=len(text) + 1):
        missing.remove(min(missing))  # the first line named the columns
    judge("parser", set(), missing)
    # Checked against a catalog, every line ends up in the report, merged or not.
    result = check_lines(parsed.lines, {})
    sources = [s for line in result.lines for s in line.sources]
    judge("parser", sorted(parsed.lines, key=id), sorted(sources, key=id))
    assert all(line.status == ERROR for line in result.lines)


@PURE
@given(text=pastes, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_an_uploaded_file_reads_the_same_text_in_every_encoding_excel_writes(text, encoding):
    text = text.replace("\x00", "")
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
        encoding = "utf-8"
    decoded = parsed_or_none(decode_bytes, raw)
    if encoding == "utf-8":
        text = text.removeprefix("\ufeff")  # a byte order mark is not content
    if encoding == "cp1252" and decoded is not None and decoded[1] == "utf-8":
        text = raw.decode("utf-8")  # also valid UTF-8 (plain ASCII, say): read as UTF-8
    judge("parser", text, decoded and decoded[0])
    parsed = parsed_or_none(parse_csv, raw)
    if parsed is not None:
        assert all(line.source == "file" for line in parsed.lines)


@PURE
@given(raw=st.binary(max_size=300))
def test_any_bytes_uploaded_are_read_or_refused_with_a_message(raw):
    parsed = parsed_or_none(parse_csv, raw)
    TALLY["parser inputs"] += 1
    if parsed is not None:
        assert all(isinstance(line.sku, str) for line in parsed.lines)


def test_quick_order_rows_and_pastes_add_only_valid_lines(app, world):
    client = signed_in(app, world.a.buyer)
    steps = {p.sku: (p.id, p.order_multiple) for p in world.products.values()}

    def orderable(lines) -> dict[int, int] | None:
        """{product id: quantity} when every line can be ordered as typed: a SKU of the
        buyer's catalog (spaces ignored, any case) with a quantity; the lines of one SKU
        merged, their total in the product's selling unit and at most the maximum."""
        totals: Counter = Counter()
        for sku, qty in lines:
            product, quantity = steps.get("".join(sku.split()).upper()), quantity_rule(qty)
            if product is None or quantity is None:
                return None
            totals[product] += quantity
        if not totals or any(q % p[1] or q > MAX_QUANTITY for p, q in totals.items()):
            return None
        return {p[0]: q for p, q in totals.items()}

    @THROUGH_APP
    @given(sku=skus, qty=quantities, paste=pastes)
    @example(sku="VIS-440", qty="5" + " " * 11 + "x", paste="VIS-440\t5" + " " * 11 + "x")
    @example(sku="VIS-440" + " " * 40 + "X", qty="5", paste="GANT-9 6\nGANT-9 6\nvis-440;3")
    @example(sku=PAYLOADS[1], qty="１２", paste=f"{PAYLOADS[0]};1\nCIM-35;99999\nCIM-35;1")
    def run(sku, qty, paste):
        # One row re-checked as it is typed: refused (422) unless a known SKU and a quantity.
        row = post(client, "/quick-order/line", {"sku-0": sku, "qty-0": qty}, htmx=True)
        blank = not received(sku).strip() and not received(qty).strip()  # nothing to say
        ok = blank or orderable([(received(sku), received(qty))]) is not None
        check_answer(row, ok, [sku, qty])
        judge("app", ok, row.status_code == 200)
        # A paste: all its lines added, or nothing at all.
        db.session.execute(CartLine.__table__.delete())
        db.session.commit()
        wanted = orderable([(line.sku, line.quantity)
                            for line in parse_text(received(paste)).lines])
        answer = post(client, "/quick-order/add", {"paste": paste})
        check_answer(answer, wanted is not None, [paste])
        db.session.expire_all()
        stored = dict(db.session.execute(select(CartLine.product_id, CartLine.quantity)).all())
        judge("app", wanted or {}, stored)

    with app.test_request_context():  # the rules' messages are translated
        run()


def test_cart_stepper_and_notes_store_what_the_rules_allow(app, world):
    client = signed_in(app, world.a.buyer)
    flour = world.products["flour"]  # sold by 10
    cart_service.add_many(world.a.buyer, [(flour, 10, "")])
    db.session.commit()
    line_id = db.session.scalar(select(CartLine.id))

    @THROUGH_APP
    @given(qty=quantities, note=hostile_text, htmx=st.booleans())
    @example(qty="1_000", note="é" * 501, htmx=True)
    @example(qty="99999", note="a\x00b", htmx=False)
    @example(qty=" 15 ", note=PAYLOADS[3] + "\u202e" + " " * 600, htmx=True)
    def run(qty, note, htmx):
        before = fresh(CartLine, line_id)
        old_qty, old_note = before.quantity, before.note
        answer = post(client, f"/cart/line/{line_id}/qty", {"quantity": qty}, htmx)
        wanted = quantity_rule(received(qty))
        check_answer(answer, wanted is not None, [qty])
        expected = min(-(-wanted // 10) * 10, 99_990) if wanted else old_qty
        judge("app", expected, fresh(CartLine, line_id).quantity)

        answer = post(client, f"/cart/line/{line_id}/note", {"note": note}, htmx)
        wanted = text_rule(received(note), 500, required=False)
        check_answer(answer, wanted is not None, [note])
        judge("app", old_note if wanted is None else wanted, fresh(CartLine, line_id).note)

    with app.test_request_context():  # the rules' messages are translated
        run()
    page_shows_escaped(client, "/cart/")


def test_lists_are_created_renamed_and_edited_only_with_valid_input(app, world):
    client = signed_in(app, world.a.buyer)
    kept = ShoppingList(company_id=world.a.company.id, owner_id=world.a.buyer.id,
                        name="Chantier", shared=False)
    kept.lines.append(ShoppingListLine(product_id=world.products["screws"].id, quantity=3,
                                       position=0))
    db.session.add(kept)
    db.session.commit()
    list_id, line_id = kept.id, kept.lines[0].id

    @THROUGH_APP
    @given(name=hostile_text, rename=hostile_text, qty=quantities,
           step=st.sampled_from(["", "up", "down"]), note=hostile_text)
    @example(name="x" * 121, rename=PAYLOADS[0], qty="7", step="", note="é" * 501)
    @example(name="a\x00b", rename=" " * 10, qty="9" * 30, step="up", note=PAYLOADS[2])
    def run(name, rename, qty, step, note):
        lists_before = count(ShoppingList)
        answer = post(client, "/lists/new", {"name": name, "shared": "1"})
        wanted = text_rule(received(name), 120)
        check_answer(answer, wanted is not None, [name])
        judge("app", lists_before + (wanted is not None), count(ShoppingList))
        if wanted is not None:
            created = db.session.scalar(select(ShoppingList).order_by(ShoppingList.id.desc()))
            judge("app", wanted, created.name)

        old_name = fresh(ShoppingList, list_id).name
        answer = post(client, f"/lists/{list_id}/edit", {"name": rename})
        renamed = text_rule(received(rename), 120)
        check_answer(answer, renamed is not None, [rename])
        judge("app", renamed or old_name, fresh(ShoppingList, list_id).name)

        line = fresh(ShoppingListLine, line_id)
        line.quantity, line.note = 3, ""
        db.session.commit()
        answer = post(client, f"/lists/{list_id}/line/{line_id}",
                      {f"qty-{line_id}": qty, f"note-{line_id}": note, "step": step},
                      htmx=True)
        quantity = quantity_rule(received(qty))
        note_value = text_rule(received(note), 500, required=False)
        accepted = quantity is not None and note_value is not None
        check_answer(answer, accepted, [qty, note])
        if quantity is not None and step:
            quantity = min(quantity + 1, MAX_QUANTITY) if step == "up" else max(quantity - 1, 1)
        stored = fresh(ShoppingListLine, line_id)
        judge("app", (quantity, note_value) if accepted else (3, ""),
              (stored.quantity, stored.note))

    with app.test_request_context():  # the rules' messages are translated
        run()
    for url in ("/lists/", f"/lists/{list_id}"):
        page_shows_escaped(client, url)


def test_zz_figures(figure):
    """This file's counts (shown in the run's final figures section)."""
    report_figures(figure, "ordering")
