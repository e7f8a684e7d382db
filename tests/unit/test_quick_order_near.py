"""'Did you mean' ranking for unknown SKUs: a typo or two away, or a name typed as a SKU."""

from types import SimpleNamespace

import pytest

from portal.services.ordering.sku_lookup import rank_near


def products(*specs):
    return [SimpleNamespace(sku=sku, search_text=text) for sku, text in specs]


CATALOG = products(("VIS-440", "vis-440 vis inox tete fraisee"), ("VIS-450", "vis-450 vis acier"),
                   ("CIM-35", "cim-35 ciment gris 35 kg"), ("GANT-9", "gant-9 gants nitrile"),
                   ("VIS-4400-L", "vis-4400-l vis longue"))


@pytest.mark.parametrize(("typed", "words", "first"), [
    ("VIS-4400", [], "VIS-440"),  # one character too many
    ("VSI-440", [], "VIS-440"),  # two letters swapped
    ("CIM35", [], "CIM-35"),  # the dash left out
    ("GANTSNITRILE", ["gants", "nitrile"], "GANT-9"),  # a name in the SKU field
])
def test_the_closest_product_comes_first(typed, words, first):
    assert [p.sku for p in rank_near(typed, words, CATALOG)][0] == first


def test_nothing_close_offers_nothing_and_at_most_three_are_offered():
    assert rank_near("ZZZZZZ", [], CATALOG) == []
    assert len(rank_near("VIS-44", [], CATALOG)) <= 3
