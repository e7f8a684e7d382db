"""axe-core on every key page (e2e/key_pages.py) at 360 × 640, in French and in English.

axe is injected with `page.evaluate` (the DevTools protocol: the portal's CSP, which forbids
inline and foreign scripts, stays as it is). Besides axe's default rules, the scan turns on
two it leaves off: `target-size` (WCAG 2.2 AA, 24 px targets or spacing) and `duplicate-id`.
Budget from UX.md: no serious or critical violation on any page. Each page must also fit the
phone's width (WCAG 1.4.10 reflow): a page wider than the screen widens the layout viewport,
and the fixed bottom bars then sit below what the phone shows.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from e2e.conftest import PHONE
from e2e.key_pages import demo_ids, walk_key_pages
from e2e.ordering_helpers import demo_db
from tests.conftest import figure

__all__ = ["demo_db", "figure"]  # the fixtures, imported for pytest

OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"target-size": {"enabled": True}, "duplicate-id": {"enabled": True},
              "duplicate-id-active": {"enabled": True}},
}
BLOCKING = {"serious", "critical"}
AXE = Axe()


def _describe(violation: dict) -> str:
    nodes = "; ".join(f"{' '.join(n['target'])}: {n['html'][:120]}"
                      for n in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {nodes}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_key_page_has_no_serious_or_critical_axe_violation(
        browser, live_server, demo_db, signed_in, figure, lang):
    found, rules, scanned, others = {}, set(), 0, 0
    with walk_key_pages(browser, live_server, signed_in, demo_ids(demo_db), lang) as pages:
        for key, page, status in pages:
            assert status == 200, f"{key.name}: {status}"
            result = AXE.run(page, options=OPTIONS).response
            scanned += 1
            rules |= {r["id"] for kind in ("passes", "violations", "incomplete")
                      for r in result[kind]}
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["viewport"]["width"]:  # the fixed bottom bars leave the screen
                found.setdefault(key.name, []).append(f"scrolls sideways: {width} px wide")
            for violation in result["violations"]:
                if violation["impact"] in BLOCKING:
                    found.setdefault(key.name, []).append(_describe(violation))
                else:
                    others += 1
    figure(f"axe ({lang}): {scanned} pages, {len(rules)} rules applied, "
           f"{sum(map(len, found.values()))} serious/critical, {others} moderate/minor")
    assert not found, "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)
