"""A storefront's logo at 360 × 640 (issue 22): the demo's consumer storefront, Direct
Chantier, shows its logo in its header, 32 px high, named by the storefront's name, the header
still fitting the phone; a staff admin finds it on the storefront's page in the back office, and
an SVG put in its place is refused at the field with the logo kept."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.test_approvals import snap

STAFF = "staff@demo.test"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="32">'
       b'<script>alert(1)</script><rect width="64" height="32"/></svg>')


def test_the_consumer_storefronts_header_shows_its_logo(page, live_server):
    # 360 x 640 at 2x, in French (e2e/conftest.py browser_context_args).
    port = urlsplit(live_server).port
    page.goto(f"http://direct.localhost:{port}/")  # Chromium sends *.localhost here
    header = page.get_by_role("banner")
    home = header.get_by_role("link", name="Direct Chantier")
    expect(home).to_be_visible()
    logo = home.get_by_role("img", name="Direct Chantier")
    expect(logo).to_be_visible()
    expect(logo).to_have_js_property("complete", True)
    assert logo.evaluate("img => img.naturalWidth") > 0  # the file itself was served
    box = logo.bounding_box()
    assert round(box["height"]) == 32 and 140 <= box["width"] <= 170, box
    # The header fits the phone: its sign-in link beside the logo, nothing scrolls sideways.
    expect(header.get_by_role("link", name="Se connecter")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    snap(page, "storefront-logo-header")


def test_a_staff_admin_sees_the_logo_and_an_svg_is_refused(page, live_server):
    sign_in(page, live_server, STAFF)
    page.goto(live_server + "/staff/storefronts")
    page.get_by_role("link", name=re.compile("Direct Chantier")).first.click()
    expect(page.get_by_role("heading", level=2, name="Logo")).to_be_visible()
    expect(page.get_by_role("img", name="Logo de Direct Chantier")).to_be_visible()
    page.get_by_label("Fichier du logo").set_input_files(
        {"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": SVG})
    page.get_by_role("button", name="Remplacer le logo").click()
    field = page.get_by_label("Fichier du logo")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Les logos SVG ne sont pas acceptés")
    expect(page.get_by_role("img", name="Logo de Direct Chantier")).to_be_visible()
    page.get_by_role("alert").scroll_into_view_if_needed()
    snap(page, "storefront-logo-svg-refused")
