"""How search text is cleaned and split: accents, case, hostile input, FTS5 quoting."""

from types import SimpleNamespace

import pytest

from portal.services.catalog.search import (
    MAX_QUERY_CHARS,
    SearchQuery,
    clean_query,
    fold,
    fts_match,
    words,
)
from portal.services.catalog.search_index import search_text_for


@pytest.mark.parametrize(("raw", "expected"), [
    ("Équerre", ["equerre"]),
    ("  CIMENT   prompt ", ["ciment", "prompt"]),
    ("crème brûlée", ["creme", "brulee"]),
    ("VIS-440", ["vis", "440"]),
    ("vis vis VIS", ["vis"]),
    ("Straße", ["strasse"]),
    ("Œufs frais", ["oeufs", "frais"]),
    ("vis 4×40", ["vis", "4x40"]),
    ("１２ mm", ["12", "mm"]),  # full-width digits fold to ASCII
    ("<script>alert(1)</script>", ["script", "alert", "1"]),
    ("' OR 1=1; DROP TABLE products; --", ["or", "1", "drop", "table", "products"]),
    ('hx-get="/admin"', ["hx", "get", "admin"]),
    ('"quoted" AND NEAR(x y)', ["quoted", "and", "near", "x", "y"]),
    ("🔩🔩", []),
    ("%_%", []),
    ("a b c d e f g h i j", ["a", "b", "c", "d", "e", "f", "g", "h"]),  # at most 8 words
])
def test_words_are_accent_free_lower_case_and_only_letters_or_digits(raw, expected):
    assert words(raw) == expected


def test_fold_makes_accented_and_plain_text_equal():
    assert fold("ÉTÉ Crème") == fold("ete creme") == "ete creme"


@pytest.mark.parametrize(("raw", "expected"), [
    ("vis\x00 à\x07bois", "vis à bois"),
    ("  a\t\nb  ", "a b"),
    (None, ""),
    (12, ""),
    ("x" * 10_000, "x" * MAX_QUERY_CHARS),
    ("\ud800bad", "bad"),  # a lone surrogate never reaches the database
])
def test_clean_query_drops_control_characters_and_cuts_long_text(raw, expected):
    assert clean_query(raw) == expected


@pytest.mark.parametrize(("found", "expected"), [
    (["vis"], '"vis"*'),
    (["vis", "bois"], '"vis"* AND "bois"*'),
    (['a"b'], '"ab"*'),
    (['"'], ""),
])
def test_fts_query_quotes_every_word_as_a_string_literal(found, expected):
    assert fts_match(found) == expected


def test_search_text_holds_every_field_folded():
    product = SimpleNamespace(sku="VIS-440", gtin="3000000000017", name_fr="Vis à bois",
                              name_en="Wood screw", brand="Fixé", description_fr="Tête fraisée",
                              description_en="")
    assert search_text_for(product) == (
        "vis-440 3000000000017 vis a bois wood screw fixe tete fraisee")


@pytest.mark.parametrize(("args", "expected"), [
    ({}, SearchQuery()),
    ({"q": " vis ", "page": "3", "sort": "name"}, SearchQuery(text="vis", page=3, sort="name")),
    ({"page": "0"}, SearchQuery()),
    ({"page": "-1"}, SearchQuery()),
    ({"page": "１２"}, SearchQuery()),
    ({"page": "99999999999"}, SearchQuery()),
    ({"sort": "price; drop"}, SearchQuery()),
    ({"category": "abc"}, SearchQuery()),
    ({"category": "7", "in_stock": "1", "on_list": "1", "brand": "Fixé"},
     SearchQuery(category_id=7, in_stock=True, on_my_lists=True, brand="Fixé")),
    ({"in_stock": "yes"}, SearchQuery()),
])
def test_query_string_is_read_leniently(args, expected):
    assert SearchQuery.from_args(args) == expected


def test_query_args_link_to_the_next_page_without_defaults():
    query = SearchQuery(text="vis", in_stock=True)
    assert query.args(page=2) == {"q": "vis", "in_stock": "1", "page": 2}
    assert query.args() == {"q": "vis", "in_stock": "1"}
