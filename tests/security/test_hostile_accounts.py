"""Hostile input (Hypothesis) for accounts: the company admin's amounts and the legal ids
(SIRET, VAT number), then the company admin's people and units forms and the sign-up form
through the app.

The shared values, rules and bookkeeping are in tests/security/hostile.py.
"""

import re

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.extensions import db, limiter
from portal.models import AccountApplication, Company, Unit, User
from portal.services.accounts.company_admin import (
    MAX_AMOUNT_CENTS,
    AmountError,
    amount_message,
    parse_amount_cents,
)
from portal.services.backoffice.applications import check_legal_id, legal_id_message, luhn_ok
from tests.security.hostile import (
    EMAILS,
    LONG_REPR,
    PAYLOADS,
    PURE,
    THROUGH_APP,
    amount_rule,
    amount_texts,
    amounts,
    check_answer,
    count,
    form_text_rule,
    fresh,
    hostile_text,
    judge,
    page_shows_escaped,
    parsed_or_none,
    post,
    received,
    report_figures,
    signed_in,
    text_rule,
    visible_line,
)

pytestmark = LONG_REPR


@PURE
@given(raw=amounts)
def test_a_company_admin_amount_is_exact_cents_or_refused_with_a_reason(raw):
    try:
        got = parse_amount_cents(raw)
        got = "blank" if got is None else got
    except AmountError as e:
        assert e.code in {"format", "negative", "decimals", "range"}
        assert amount_message(e.code)
        got = None
    judge("parser", amount_rule(raw), got)


@PURE
@given(cents=st.integers(0, MAX_AMOUNT_CENTS), data=st.data())
def test_every_way_of_writing_an_amount_reads_back_the_same_cents(cents, data):
    text = data.draw(st.sampled_from(amount_texts(cents)))
    judge("parser", cents, parse_amount_cents(text))


def luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


sirets = st.text(alphabet="0123456789", min_size=13, max_size=13).filter(
    lambda b: not b.startswith("356000000")).map(luhn_complete)
separators = st.sampled_from(["", " ", ".", "-", "/", "\u00a0", "\t"])


@PURE
@given(siret=sirets, sep=separators, position=st.integers(0, 13), digit=st.integers(1, 9))
def test_a_siret_passes_with_any_separators_and_fails_with_one_wrong_digit(
        siret, sep, position, digit):
    spaced = sep.join([siret[:3], siret[3:6], siret[6:9], siret[9:]])
    check = check_legal_id(spaced)
    judge("parser", ("siret", siret), (check.kind, check.value) if not check.problem else None)
    wrong = siret[:position] + str((int(siret[position]) + digit) % 10) + siret[position + 1:]
    judge("parser", None, None if check_legal_id(wrong).problem else wrong)


@PURE
@given(raw=st.one_of(hostile_text, sirets.map(lambda s: s.translate(
    str.maketrans("0123456789", "０１２３４５６７８９"))), st.sampled_from([
        "FR40123456789", "fr 40 123 456 789", "FR4O123456789", "FR40１２３456789", "FR401234567",
        "DE123456789", "FR" + "9" * 40])))
def test_a_legal_id_is_a_siret_or_a_french_vat_number_or_refused_with_a_message(raw):
    check = parsed_or_none(check_legal_id, raw)
    value = re.sub(r"[\s.\-/]+", "", raw).upper()
    if check.problem:
        assert legal_id_message(check)
        got = None
    else:
        got = (check.kind, check.value)
    expected = None
    if re.fullmatch(r"[0-9]{14}", value) and (luhn_ok(value) or value.startswith("356000000")):
        expected = ("siret", value)
    elif re.fullmatch(r"FR[0-9A-Z]{2}[0-9]{9}", value):
        expected = ("vat", value)
    if expected == ("siret", value) and value.startswith("356000000"):
        expected = got  # La Poste's own rule (see siret_ok); its numbers are rare
    judge("parser", expected, got)


def test_a_company_admin_sets_names_limits_and_units_only_as_typed(app, world):
    client = signed_in(app, world.a.admin)
    buyer_id, branch = world.a.buyer.id, str(world.a.branch.id)

    @THROUGH_APP
    @given(name=st.one_of(hostile_text, st.just("Julie Martin"), st.text(min_size=119,
                                                                        max_size=162)),
           limit=amounts, budget=amounts)
    @example(name="Julie Martin", limit="1 000,50", budget="NaN")
    @example(name="U" * 150, limit="", budget="10000000")
    def run(name, limit, budget):
        before = fresh(User, buyer_id)
        old = (before.name, before.order_limit_cents, before.monthly_budget_cents)
        answer = post(client, f"/company/users/{buyer_id}", {
            "name": name, "email": "", "role": "buyer", "unit": branch,
            "order_limit": limit, "monthly_budget": budget})
        wanted = (form_text_rule(received(name), 120), amount_rule(received(limit)),
                  amount_rule(received(budget)))
        accepted = None not in wanted
        check_answer(answer, accepted, [name])
        after = fresh(User, buyer_id)
        expected = tuple(None if w == "blank" else w for w in wanted) if accepted else old
        judge("app", expected, (after.name, after.order_limit_cents, after.monthly_budget_cents))

        # A jobsite under the branch: its name (up to 160) also labels its address.
        units = count(Unit)
        answer = post(client, "/company/units/new", {
            "kind": "jobsite", "name": name, "parent": branch, "budget": budget,
            "line1": "1 rue du Test", "postal_code": "69002", "city": "Lyon"})
        wanted = (form_text_rule(received(name), 160), amount_rule(received(budget)))
        accepted = None not in wanted
        check_answer(answer, accepted, [name])
        judge("app", units + accepted, count(Unit))
        if accepted:
            unit = db.session.scalar(select(Unit).order_by(Unit.id.desc()))
            judge("app", (wanted[0], None if wanted[1] == "blank" else wanted[1]),
                  (unit.name, unit.budget_cents))

    with app.test_request_context():  # the rules' messages are translated
        run()
    for url in ("/company/", "/company/units"):
        page_shows_escaped(client, url)


legal_ids = st.one_of(sirets, sirets.map(lambda s: f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"),
                      hostile_text, st.sampled_from(["FR40123456789", "12345678901234"]))


def test_an_application_is_stored_only_with_a_valid_name_and_legal_id(app, world):
    client = app.test_client()

    @THROUGH_APP
    @given(name=st.one_of(hostile_text, st.text(min_size=150, max_size=165)), legal=legal_ids)
    @example(name="N" * 150, legal=luhn_complete("8123456780001"))
    @example(name=PAYLOADS[3], legal="FR40 123 456 789")
    def run(name, legal):
        limiter.reset()
        before = count(AccountApplication)
        email = f"applicant{next(EMAILS)}@test.example"
        answer = post(client, "/apply/", {
            "company_name": name, "legal_id": legal, "trade": "electrician",
            "address_line": "1 rue du Test", "postal_code": "69002", "city": "Lyon",
            "contact_name": "Lucie", "email": email, "phone": "06 12 34 56 78"})
        wanted = text_rule(received(name), 160)  # the form cleans before it validates
        check = check_legal_id(visible_line(received(legal)))
        legal_ok = text_rule(received(legal), 40) is not None and not check.problem
        accepted = wanted is not None and legal_ok
        check_answer(answer, accepted, [name, legal])
        judge("app", before + accepted, count(AccountApplication))
        if accepted:
            company = db.session.scalar(select(Company).join(
                User, User.company_id == Company.id).where(User.email == email))
            judge("app", (wanted, check.value), (company.name, company.legal_id))

    with app.test_request_context():  # the rules' messages are translated
        run()


def test_zz_figures(figure):
    """This file's counts (shown in the run's final figures section)."""
    report_figures(figure, "accounts")
