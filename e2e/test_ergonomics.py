"""Gloved thumbs and screen readers on every key page (e2e/key_pages.py) at 360 × 640.

UX.md asks for tap targets of at least 48 × 48 px with 8 px between targets that sit side by
side, and for no two controls of a page sharing an accessible name (a screen reader's list of
buttons, or a test's `get_by_role(name=...)`, must tell "Moins" of one product from another's).
Checked in French and in English, signed in as each demo role, like the axe-core scan.

Sizes are the boxes Chromium lays out; visually hidden controls (clipped to nothing, such as
a form's Enter-key twin) are not targets. A checkbox or radio inside its label counts as its
label (a tap on the label ticks the box). Links inside a sentence are exempt, as in WCAG 2.5.8:
their size is the text's. Accessible names are Chromium's own, read from its accessibility
tree through the DevTools protocol; two links to the same address may share a name (the
bottom bar's "Catalogue" and the breadcrumb's are one way to one place).

Last, a visitor (not signed in) is told "in stock", not how many units each warehouse holds
(PUBLIC_STOCK_DETAIL defaults to "presence").
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE, sign_in
from e2e.key_pages import BUYER, demo_ids, walk_key_pages
from e2e.ordering_helpers import demo_db
from tests.conftest import figure

__all__ = ["demo_db", "figure"]  # the fixtures, imported for pytest

TAP = 48
GAP = 8
SLACK = 0.5  # sub-pixel layout rounding
CONTROL_ROLES = {"button", "link", "textbox", "searchbox", "combobox", "listbox", "checkbox",
                 "radio", "spinbutton", "slider", "switch", "menuitem", "tab"}

# Every target on screen: its box, what a person would call it, and the fixed bar it rides in
# (boxes in different fixed layers are never side by side, whatever their coordinates say).
TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.name
                  || el.id || '').replace(/\\s+/g, ' ').trim();
    return `<${el.tagName.toLowerCase()}> "${text.slice(0, 50)}"`;
  };
  const layer = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).position === 'fixed') return node;
    }
    return null;
  };
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const parent = el.parentElement;
    return [...parent.childNodes].some(
      (n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  };
  const layers = [];
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled && el.tagName !== 'BUTTON') continue;
    if (el.closest('[inert], [aria-hidden=true]')) continue;
    // Inside a closed <details>, or hidden by CSS: not there for a thumb.
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (getComputedStyle(el).clip !== 'auto') continue;  // visually hidden (class "sr")
    let box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // not rendered, or visually hidden text
    if (box.right <= 0 || box.left >= innerWidth) continue;  // parked off screen (skip link)
    if (inSentence(el)) continue;
    let target = el;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) {
      target = el.closest('label');
      box = target.getBoundingClientRect();
    }
    const fixed = layer(target);
    let index = layers.indexOf(fixed);
    if (index < 0) { layers.push(fixed); index = layers.length - 1; }
    found.push({what: describe(el), layer: index, left: box.left, right: box.right,
                top: box.top + (fixed ? 0 : scrollY), bottom: box.bottom + (fixed ? 0 : scrollY),
                width: box.width, height: box.height, node: target});
  }
  // One box per element (a label holding its input is one target).
  const unique = found.filter((t, i) => found.findIndex((u) => u.node === t.node) === i);
  return unique.map(({node, ...rest}) => rest);
}"""


def _contains(a: dict, b: dict) -> bool:
    return (a["left"] <= b["left"] + SLACK and a["right"] >= b["right"] - SLACK
            and a["top"] <= b["top"] + SLACK and a["bottom"] >= b["bottom"] - SLACK)


def target_problems(targets: list[dict]) -> list[str]:
    """Targets under 48 × 48 px, and neighbours in a row closer than 8 px (each told once,
    with how many times it occurs on the page)."""
    problems = [f"{t['what']} is {t['width']:.0f} × {t['height']:.0f} px"
                for t in targets if t["width"] < TAP - SLACK or t["height"] < TAP - SLACK]
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            if a["layer"] != b["layer"] or _contains(a, b) or _contains(b, a):
                continue
            overlap = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            gap = max(a["left"], b["left"]) - min(a["right"], b["right"])
            if overlap > SLACK and gap < GAP - SLACK:
                problems.append(f"{a['what']} and {b['what']} are {gap:.0f} px apart")
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem] = counts.get(problem, 0) + 1
    return [f"{n} × {p}" if n > 1 else p for p, n in counts.items()]


DATE_FIELD_ROLES = {"Date", "DateTime", "InputTime", "date", "time"}


def duplicate_names(page) -> list[str]:
    """Accessible names that more than one control of the page carries."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    by_id = {node["nodeId"]: node for node in nodes}

    def inside_a_date_field(node) -> bool:
        # The browser's own parts of an <input type=date> (day, month, year, picker button)
        # carry the browser's names; the field itself is named by its label.
        while (node := by_id.get(node.get("parentId"))) is not None:
            if node.get("role", {}).get("value") in DATE_FIELD_ROLES:
                return True
        return False

    seen: dict[tuple[str, str], list[str]] = {}
    for node in nodes:
        role = node.get("role", {}).get("value")
        name = " ".join(str(node.get("name", {}).get("value", "")).split())
        if node.get("ignored") or role not in CONTROL_ROLES or not name:
            continue
        if inside_a_date_field(node):
            continue
        seen.setdefault((role, name.casefold()), []).append(name)
    found = []
    for (role, _), names in seen.items():
        if len(names) < 2:
            continue
        if role == "link":  # two links to one place (a card's and the bottom bar's) are one way
            hrefs = page.get_by_role("link", name=names[0], exact=True).evaluate_all(
                "links => links.map((a) => a.href)")
            if len(set(hrefs)) <= 1:
                continue
        found.append(f'{len(names)} × {role} "{names[0]}"')
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_key_page_has_thumb_sized_targets_and_one_name_per_control(
        browser, live_server, demo_db, signed_in, figure, lang):
    found: dict[str, list[str]] = {}
    measured = controls = 0
    with walk_key_pages(browser, live_server, signed_in, demo_ids(demo_db), lang) as pages:
        for key, page, status in pages:
            if status != 200:
                found[key.name] = [f"answered {status}"]
                continue
            targets = page.evaluate(TARGETS_JS)
            measured += len(targets)
            problems = target_problems(targets) + duplicate_names(page)
            controls += 1
            if problems:
                found[key.name] = problems
    figure(f"ergonomics ({lang}): {controls} pages, {measured} tap targets measured, "
           f"{sum(map(len, found.values()))} problems")
    assert not found, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)


def test_a_visitor_sees_in_stock_without_the_warehouses_counts(browser, live_server, demo_db):
    product = live_server + "/catalog/p/{product_id}".format(**demo_ids(demo_db))
    counts = re.compile(r"\d+ unités? disponibles?")
    visitor = browser.new_context(**PHONE, locale="fr-FR")
    customer = browser.new_context(**PHONE, locale="fr-FR")
    try:
        page = visitor.new_page()
        page.goto(product)
        expect(page.get_by_text("En stock", exact=True)).to_be_visible()
        stock = page.get_by_role("region", name="Disponibilité")
        expect(stock).to_be_visible()
        expect(stock.get_by_role("listitem")).to_have_count(0)  # no warehouse, no count
        expect(page.get_by_text(counts)).to_have_count(0)

        page = customer.new_page()
        sign_in(page, live_server, BUYER)
        page.goto(product)  # a customer still sees each warehouse
        expect(page.get_by_text(counts)).to_be_visible()
        assert page.get_by_role("region", name="Disponibilité").get_by_role("listitem").count()
    finally:
        visitor.close()
        customer.close()
