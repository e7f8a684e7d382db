"""Hostile input (Hypothesis) for the back office: staff money fields and catalog import
cells, then a customer's credit limit, an application's rejection reason and a product's
name through the staff forms.

The shared values, rules and bookkeeping are in tests/security/hostile.py.
"""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from portal.extensions import db
from portal.models import AccountApplication, ApplicationStatus, Company, Product
from portal.services.backoffice.customers import MAX_CREDIT_CENTS, cents_to_input, parse_money_cents
from portal.services.csv_import import cells
from tests.factories import application
from tests.security.hostile import (
    EMAILS,
    LONG_REPR,
    PAYLOADS,
    PURE,
    THROUGH_APP,
    amounts,
    check_answer,
    form_text_rule,
    fresh,
    hostile_text,
    judge,
    page_shows_escaped,
    parsed_or_none,
    post,
    quantities,
    received,
    report_figures,
    signed_in,
    visible_line,
    visible_text,
)

pytestmark = LONG_REPR


def money_rule(raw: str | None):
    """Staff money fields: spaces anywhere are ignored; blank is "no limit"; else ASCII
    digits, one comma or dot before one or two decimals, up to 10 million euros."""
    text = re.sub(r"[ \u00a0\u202f]", "", raw or "")
    if not text:
        return "blank"
    match = re.fullmatch(r"([0-9]{1,10})(?:[.,]([0-9]{1,2}))?", text)
    if not match:
        return None
    cents = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))
    return cents if cents <= MAX_CREDIT_CENTS else None


def money_outcome(raw) -> object:
    """parse_money_cents's answer: cents, "blank" (no limit), or None (refused)."""
    try:
        cents = parse_money_cents(raw)
    except ValueError:
        return None
    return "blank" if cents is None else cents


@PURE
@given(raw=st.one_of(amounts, st.none()))
def test_a_staff_credit_limit_is_exact_cents_or_refused(raw):
    judge("parser", money_rule(raw), money_outcome(raw))


@PURE
@given(cents=st.integers(0, MAX_CREDIT_CENTS))
def test_a_credit_limit_shown_in_the_form_reads_back_the_same(cents):
    judge("parser", cents, parse_money_cents(cents_to_input(cents)))
    judge("parser", cents, parse_money_cents(cents_to_input(cents).replace(".", ",")))


@PURE
@given(raw=st.one_of(amounts, quantities))
def test_catalog_cells_are_exact_numbers_or_refused(raw):
    text = raw.strip()
    match = re.fullmatch(r"([0-9]{1,7})(?:[.,]([0-9]{1,2}))?", text)
    money = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0")) \
        if match else None
    judge("parser", money, parsed_or_none(cells.money, text))
    whole = int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None
    expected = whole if whole is not None and 1 <= whole <= 10_000 else None
    judge("parser", expected, parsed_or_none(cells.integer, text, 1, 10_000))


def test_staff_edits_credit_limits_rejection_reasons_and_product_names_exactly(app, world):
    client = signed_in(app, world.staff)
    company_id, screws_id = world.a.company.id, world.products["screws"].id
    group = str(world.a.company.customer_group_id)

    @THROUGH_APP
    @given(credit=amounts, reason=hostile_text, name=hostile_text, case_pack=quantities)
    @example(credit="１０００", reason="r" * 1001, name="P" * 200, case_pack="10")
    @example(credit="5 000,50", reason=PAYLOADS[1], name="a\x00b", case_pack="1e3")
    def run(credit, reason, name, case_pack):
        old = fresh(Company, company_id).credit_limit_cents
        answer = post(client, f"/staff/customers/{company_id}/edit", {
            "customer_group": group, "price_list": "", "payment_terms": "net30",
            "credit_limit": credit, "status": "active"})
        raw = received(credit)
        wanted = money_rule(raw) if len(raw) <= 20 else None
        if wanted == 0:  # a limit of zero is refused (credit.check_limit): prepayment says it
            wanted = None
        check_answer(answer, wanted is not None, [credit])
        judge("app", old if wanted is None else None if wanted == "blank" else wanted,
              fresh(Company, company_id).credit_limit_cents)

        pending = application(email=f"applicant{next(EMAILS)}@test.example")
        db.session.commit()
        answer = post(client, f"/staff/applications/{pending.id}/reject",
                      {f"r{pending.id}-reason": reason})
        wanted = form_text_rule(received(reason), 1000, visible_text)
        check_answer(answer, wanted is not None, [reason])
        decided = fresh(AccountApplication, pending.id)
        judge("app", (ApplicationStatus.REJECTED, wanted) if wanted is not None else
              (ApplicationStatus.PENDING, ""), (decided.status, decided.reason or ""))
        page_shows_escaped(client, "/staff/applications")

        before = fresh(Product, screws_id)
        old = (before.name_fr, before.case_pack)
        answer = post(client, f"/staff/catalog/products/{screws_id}", {
            "name_fr": name, "name_en": "Screws", "brand": "", "description_fr": "",
            "description_en": "", "case_pack": case_pack, "order_multiple": "1",
            "lead_time_days": "2", "replacement_sku": ""})
        text = visible_line(received(name))
        wanted = (text if "\x00" not in received(name) and 1 <= len(text) <= 200 else None,
                  parsed_or_none(cells.integer, received(case_pack).strip(), 1, 10_000))
        accepted = None not in wanted
        check_answer(answer, accepted, [name])
        after = fresh(Product, screws_id)
        judge("app", wanted if accepted else old, (after.name_fr, after.case_pack))
        page_shows_escaped(client, f"/staff/catalog/products/{screws_id}")

    with app.test_request_context():  # the rules' messages are translated
        run()


def test_zz_figures(figure):
    """This file's counts (shown in the run's final figures section)."""
    report_figures(figure, "backoffice")
