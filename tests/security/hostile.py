"""Hostile input, property-based (Hypothesis): what the test_hostile_*.py files share.

Each of those files takes one feature: its parsers first (whatever text arrives, each answers
a clean value that follows its documented rule or refuses with a message; never another
exception), then its forms through the app (test client, the right role, SQLite and
PostgreSQL): hostile text and quantities posted never cause a 5xx, invalid input is refused
with a message and stores nothing, valid input is stored exactly as the rule says, and stored
markup is never sent back unescaped.

Here: the hostile values and strategies, the documented rules as the tests state them, the
bookkeeping (`judge`, `TALLY`) and the helpers that post forms as a browser does. Examples are
derandomized (the same inputs on every run) and bounded; each file's last test reports its
counts of inputs, accepted-invalid values and 5xx answers as figures (`report_figures`).
"""

import itertools
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from portal.extensions import db
from portal.services import DomainError
from portal.services.accounts.company_admin import MAX_AMOUNT_CENTS
from portal.services.quantities import MAX_QUANTITY
from tests.conftest import login

# A failing example may hold a 10 kB string: Hypothesis warns about its long repr.
LONG_REPR = pytest.mark.filterwarnings("ignore:Generating overly large repr")
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


def report_figures(figure, area: str) -> None:
    """Report the counts since the last report, then start again from zero: pytest runs a
    file's tests together (on one worker under --dist loadfile), so each file's last test
    reports that file's inputs."""
    if TALLY["parser inputs"]:
        figure(f"hostile input (Hypothesis, {area}, parsers): {TALLY['parser inputs']} "
               f"inputs, accepted-invalid {TALLY['parser accepted-invalid']}, "
               f"crashes {TALLY['parser crashes']}")
    if TALLY["app requests"]:
        figure(f"hostile input (Hypothesis, {area}, through the app): "
               f"{TALLY['app requests']} requests, {TALLY['app inputs']} outcomes checked, "
               f"accepted-invalid {TALLY['app accepted-invalid']}, 5xx {TALLY['app 5xx']}, "
               f"markup reflected {TALLY['app markup reflected']}")
    TALLY.clear()

