"""Wording a new user reads at 360 × 640: the order filters show their whole labels."""

from playwright.sync_api import expect

from e2e.conftest import sign_in

# The width of the chosen option's text against the room the select gives it (its content
# box less the drop-down arrow, about 20 px in Chromium).
ROOM = """el => {
  const style = getComputedStyle(el);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = style.font;
  const text = ctx.measureText(el.options[el.selectedIndex].text).width;
  const box = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text, room: box - 20};
}"""


def test_the_order_filters_show_their_whole_labels_on_a_phone(page, live_server, shot):
    sign_in(page, live_server, "buyer@demo.test")
    page.goto(live_server + "/orders/")
    for label, option in (("Statut", "Tous les statuts"), ("Chantier", "Tous les chantiers")):
        select = page.get_by_label(label, exact=True)
        expect(select).to_have_value("")
        assert select.evaluate("el => el.options[el.selectedIndex].text") == option
        fit = select.evaluate(ROOM)
        assert fit["text"] <= fit["room"], (label, fit)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("orders-filters-360")
