"""Hostile input, property-based (Hypothesis): the parsers, then the forms through the app.

Parsers: whatever text arrives, each answers a clean value that follows its documented rule
or refuses with a message; never another exception. Through the app (test client, the right
role, SQLite and PostgreSQL): hostile text and quantities posted to the state-changing forms
never cause a 5xx, invalid input is refused with a message and stores nothing, valid input is
stored exactly as the rule says, and stored markup is never sent back unescaped.

Examples are derandomized (the same inputs on every run) and bounded; the counts of inputs,
accepted-invalid values and 5xx answers are printed as figures by the last test.
"""

import itertools
import re
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from portal.extensions import db, limiter
from portal.models import (
    AccountApplication,
    ApplicationStatus,
    CartLine,
    Company,
    Order,
    PriceTier,
    Product,
    ShoppingList,
    ShoppingListLine,
    Unit,
    User,
)
from portal.services import DomainError
from portal.services.accounts.company_admin import (
    MAX_AMOUNT_CENTS,
    AmountError,
    amount_message,
    parse_amount_cents,
)
from portal.services.backoffice.applications import check_legal_id, legal_id_message, luhn_ok
from portal.services.backoffice.customers import MAX_CREDIT_CENTS, cents_to_input, parse_money_cents
from portal.services.csv_import import cells
from portal.services.ordering import cart as cart_service
from portal.services.ordering import checkout as ordering
from portal.services.ordering.paste import decode_bytes, parse_csv, parse_text
from portal.services.ordering.quick_order import ERROR, check_lines
from portal.services.quantities import MAX_QUANTITY, parse_quantity
from tests.conftest import login
from tests.integration.staff_builders import application

# A failing example may hold a 10 kB string: Hypothesis warns about its long repr.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
TALLY: Counter = Counter()

SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=False,
                suppress_health_check=list(HealthCheck))
PURE = settings(max_examples=300, **SETTINGS)
THROUGH_APP = settings(max_examples=25, **SETTINGS)

# -- Hostile values -----------------------------------------------------------------------

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    '<div hx-get="/account" hx-trigger="load" hx-target="body">',
    '"><svg onload=window.__pwned=1>',
    "<b hx-on::load=\"alert(1)\">x</b>",
]
FIXED_TEXT = [
    *PAYLOADS,
    "a\x00b", "\x00", "\x01\x02\x1b[31m\x7f", "line\r\nbreak\rcr", "\t tab \t",
    "\u202eevil\u200b", "\u200f\u202a\u2066rtl", "\ud800", "x\udfffy", "\ufeff", "\u0085",
    "é" * 3_000, "x" * 10_000, "   ", "", "=HYPERLINK(\"http://x\")", "{{ 7*7 }}",
    "' OR 1=1 --", "١٢ １２", "🔩" * 50,
]
QUANTITY_WORDS = [
    "-1", "1.5", "１２", "١٢", "1_000", "sNaN", "NaN", "Infinity", "-Infinity", "1e3",
    "0x10", "+5", "0", "00", "000007", "0000007", "99999", "100000", "9" * 30, " 12 ",
    "\t7\n", "12\x00", "1 000", "1,5", "", "   ", "²", "𝟙𝟚", "Ⅻ", "½", "12abc", "0b1",
    "5" + " " * 11 + "x",
]

text_fragments = st.one_of(st.sampled_from(FIXED_TEXT), st.text(max_size=30),
                           st.sampled_from(["<", ">", '"', "'", "&", " ", "\n", "hx-get="]))
hostile_text = st.one_of(
    st.sampled_from(FIXED_TEXT),
    st.text(max_size=40),
    st.lists(text_fragments, max_size=5).map("".join),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(100, 2_600)),
    st.integers(0xD800, 0xDFFF).map(lambda c: f"a{chr(c)}b"),  # a lone surrogate
)
quantities = st.one_of(
    st.sampled_from(QUANTITY_WORDS),
    st.integers(-10, 200_000).map(str),
    st.text(alphabet="0123456789 +-.,_eExXaN١٢１２\t\u00a0", max_size=10),
    st.builds(lambda a, n, b: a + str(n) + b, st.sampled_from(["", " ", "\t", "\u3000"]),
              st.integers(0, 1_000_000), st.sampled_from(["", " ", "\n", " x", "\x00"])),
    st.text(max_size=8),
)


def _grouped(whole: int, sep: str) -> str:
    return f"{whole:,}".replace(",", sep)


def amount_texts(cents: int) -> list[str]:
    """Ways a person writes an amount of `cents`, all meaning exactly that."""
    whole, rest = divmod(cents, 100)
    texts = [f"{whole},{rest:02d}", f"{whole}.{rest:02d}", f" {whole},{rest:02d} "]
    if rest == 0:
        texts.append(str(whole))
    if rest % 10 == 0:
        texts.append(f"{whole},{rest // 10}")
    texts += [f"{_grouped(whole, sep)},{rest:02d}" for sep in (" ", "\u00a0", "\u202f")]
    return texts


amounts = st.one_of(
    st.sampled_from(["", " ", "NaN", "sNaN", "Infinity", "1e3", "-5", "+5", "0x10", "1_000",
                     "１０００", "١٢", "10,505", "1.000,50", "1,000.50", "12,", ",5",
                     "10000000,01", "10 000 000", "9" * 30, "0", "5\x00", "1 2 3"]),
    st.integers(0, MAX_AMOUNT_CENTS + 10).flatmap(lambda c: st.sampled_from(amount_texts(c))),
    st.text(alphabet="0123456789 ,.-+eE\u00a0\u202f", max_size=14),
    st.text(max_size=10),
)


def received(value: str) -> str:
    """What the server reads from a form field posted with this text (werkzeug's decoding:
    a lone surrogate cannot be UTF-8, its bytes arrive percent-encoded)."""
    body = urlencode({"v": value}, encoding="utf-8", errors="surrogatepass")
    request = EnvironBuilder(method="POST", data=body,
                             content_type="application/x-www-form-urlencoded").get_request()
    return request.form["v"]


# -- The documented rules, as the tests state them ----------------------------------------

def quantity_rule(raw: str, maximum: int = MAX_QUANTITY) -> int | None:
    """1 to 6 ASCII digits once surrounding whitespace is removed, between 1 and maximum."""
    text = raw.strip()
    if re.fullmatch(r"[0-9]{1,6}", text) and 1 <= int(text) <= maximum:
        return int(text)
    return None


GROUPS = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+")


def amount_rule(raw: str):
    """Company admin amounts: blank is "no limit"; else ASCII digits (thousands may be
    grouped by spaces), one comma or dot before one or two decimals, 0 to 10,000,000."""
    text = raw.strip()
    if not text:
        return "blank"
    if len(text) > 24:
        return None
    whole, sep, decimals = text.replace(",", ".").partition(".")
    if sep and not re.fullmatch(r"[0-9]{1,2}", decimals):
        return None
    if not (re.fullmatch(r"[0-9]+", whole) or GROUPS.fullmatch(whole)):
        return None
    cents = int(Decimal(re.sub(r"\D", "", whole) + "." + (decimals or "0")) * 100)
    return cents if cents <= MAX_AMOUNT_CENTS else None


def _shown(raw: str) -> str:
    """NFC, without format characters (bidi controls, zero-width), controls or surrogates;
    control whitespace becomes a space (the clean-text rule, issue 12)."""
    hidden = ("Cf", "Cc", "Cs")
    return "".join(" " if c.isspace() and unicodedata.category(c) in hidden else c
                   for c in unicodedata.normalize("NFC", raw)
                   if c.isspace() or unicodedata.category(c) not in hidden)


def _folded(text: str) -> str:
    """Whitespace runs become one space, but a no-break space standing alone is kept (French
    writes "1\u202f000\xa0€" and "Note\u202f:")."""
    out, run = [], ""
    for ch in text + "x":
        if ch.isspace():
            run += ch
            continue
        if run:
            out.append(run if run in ("\xa0", "\u202f", "\u2007") else " ")
            run = ""
        out.append(ch)
    return "".join(out[:-1]).strip()


def visible_line(raw: str) -> str:
    return _folded(_shown(raw).replace("\n", " "))


def visible_text(raw: str) -> str:
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(_folded(_shown(line)) for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def text_rule(raw: str, max_len: int, *, required=True) -> str | None:
    """Free text: the visible characters, whitespace folded, within a length; NUL is never
    text."""
    value = visible_line(raw)
    if "\x00" in raw or (required and not value) or len(value) > max_len:
        return None
    return value


def form_text_rule(raw: str, max_len: int, clean=visible_line) -> str | None:
    """A WTForms field with DataRequired + Length(max) (the length of what was typed), then
    the clean-text rule: nothing visible left is refused too."""
    if "\x00" in raw or not raw.strip() or len(raw) > max_len:
        return None
    return clean(raw) or None


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- Bookkeeping ---------------------------------------------------------------------------

def judge(area: str, expected, got) -> None:
    """Count one input: accepted while the rule refuses it, or a different value."""
    TALLY[f"{area} inputs"] += 1
    if expected is None and got is not None:
        TALLY[f"{area} accepted-invalid"] += 1
    assert got == expected, (expected, got)


def parsed_or_none(parser, *args, errors=(DomainError,)):
    """The parser's value, or None when it refused with a message."""
    try:
        return parser(*args)
    except errors as e:
        assert str(e).strip(), "a refusal always says why"
        return None
    except Exception:
        TALLY["parser crashes"] += 1
        raise


# -- Parsers -------------------------------------------------------------------------------

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


# -- Through the app -----------------------------------------------------------------------

EMAILS = itertools.count(1)


def post(client, url: str, fields: dict, htmx: bool = False):
    """A form post as a browser sends it (lone surrogates become their escaped bytes)."""
    body = urlencode(fields, doseq=True, encoding="utf-8", errors="surrogatepass")
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded",
                           headers={"HX-Request": "true"} if htmx else {})
    TALLY["app requests"] += 1
    if response.status_code >= 500:
        TALLY["app 5xx"] += 1
    return response


def check_answer(response, accepted: bool, typed: list[str]) -> None:
    """No 5xx; a refusal is a 4xx that says why; markup typed is never sent back as markup."""
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (response.status_code, body[:300])
    if accepted:
        assert response.status_code in (200, 303), (response.status_code, body[:500])
    else:
        assert response.status_code in (400, 409, 422), (response.status_code, body[:500])
        assert 'role="alert"' in body or "aria-invalid" in body, body[:2000]
    leaked = [p for p in PAYLOADS if any(p in t for t in typed) and p in body]
    TALLY["app markup reflected"] += len(leaked)
    assert not leaked, leaked


def page_shows_escaped(client, url: str) -> None:
    body = client.get(url).get_data(as_text=True)
    TALLY["app requests"] += 1
    leaked = [p for p in PAYLOADS if p in body]
    TALLY["app markup reflected"] += len(leaked)
    assert not leaked, (url, leaked)


def fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


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
            _host, url = rule.build(dict.fromkeys(rule.arguments, "x") | dict.fromkeys(
                names, 1), append_unknown=False)
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
    """The counts of this file's runs (shown in the run's final figures section)."""
    figure(f"hostile input (Hypothesis, parsers): {TALLY['parser inputs']} inputs, "
           f"accepted-invalid {TALLY['parser accepted-invalid']}, "
           f"crashes {TALLY['parser crashes']}")
    figure(f"hostile input (Hypothesis, through the app): {TALLY['app requests']} requests, "
           f"{TALLY['app inputs']} outcomes checked, accepted-invalid "
           f"{TALLY['app accepted-invalid']}, 5xx {TALLY['app 5xx']}, markup reflected "
           f"{TALLY['app markup reflected']}")
