"""The PO number checkout proposes, by the company's rule."""

from datetime import date

import pytest

from portal.services.ordering.po_rule import propose

DAY = date(2026, 12, 5)


@pytest.mark.parametrize(("rule", "kw", "proposed"), [
    ("ask", {"repeated_po": "BC-1", "last_po": "BC-2", "today": DAY}, ""),
    ("reuse", {"repeated_po": "BC-1", "last_po": "BC-2"}, "BC-1"),
    ("reuse", {"repeated_po": "", "last_po": "BC-2"}, "BC-2"),
    ("reuse", {}, ""),
    ("generate", {"today": DAY, "placed_today": 0}, "20261205-01"),
    ("generate", {"today": DAY, "placed_today": 11, "repeated_po": "BC-1"}, "20261205-12"),
    ("generate", {}, ""),
    ("nonsense", {"repeated_po": "BC-1", "today": DAY}, ""),
])
def test_the_rule_proposes_a_po_number(rule, kw, proposed):
    assert propose(rule, **kw) == proposed
