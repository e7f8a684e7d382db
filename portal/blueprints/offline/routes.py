"""The portal on the home screen and without a signal: the web app manifest and its icons,
the service worker (templates/offline/sw.js: the bundles and the offline page kept, the last
cart, lists and orders viewed readable), the page shown for anything else offline, and the
guard that does a change sent again (the offline queue's replay) only once."""

import hashlib
import io
from datetime import UTC, datetime

from flask import Response, abort, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import PUBLIC, allow
from portal.blueprints.offline import bp
from portal.rendering import render
from portal.services import ordering
from portal.web import current_front, shop_name

THEME = "#0b4f6c"
ICON_SIZES = (192, 512)
_icons: dict[int, bytes] = {}


@bp.get("/manifest.webmanifest")
@allow(PUBLIC)
def manifest():
    front = current_front()
    trade = front is None or front.is_trade
    body = jsonify({
        "name": _("Pro Supplies") + " · " + _("Trade portal") if trade else front.name,
        "short_name": shop_name(),
        "start_url": "/", "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": THEME if trade else front.brand_colour,
        "icons": [{"src": f"/app-icon-{size}.png", "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any maskable"} for size in ICON_SIZES],
    })
    body.mimetype = "application/manifest+json"
    body.headers["Cache-Control"] = "public, max-age=86400"
    return body


@bp.get("/app-icon-<int:size>.png")
@allow(PUBLIC)
def icon(size: int):
    if size not in ICON_SIZES:
        abort(404)
    if size not in _icons:
        _icons[size] = _draw_icon(size)
    response = Response(_icons[size], mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _draw_icon(size: int) -> bytes:
    """A white crate on the theme colour, inside the maskable safe zone (the middle 60 %)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), THEME)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = (round(size * f) for f in (0.28, 0.32, 0.72, 0.70))
    line = max(2, size // 32)
    draw.rectangle((left, top, right, bottom), outline="white", width=line)
    band = top + (bottom - top) // 3
    draw.line((left, band, right, band), fill="white", width=line)
    draw.rectangle((left + (right - left) * 2 // 5, top, left + (right - left) * 3 // 5, band),
                   fill="white")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@bp.get("/sw.js")
@allow(PUBLIC)
def service_worker():
    env = current_app.jinja_env.globals
    assets = [request.script_root + env["bundle_css"], request.script_root + env["bundle_js"]]
    body = render_template("offline/sw.js", assets=assets,
                           version=hashlib.sha256(" ".join(assets).encode()).hexdigest()[:12])
    response = make_response(body)
    response.mimetype = "text/javascript"
    # Checked at every visit: a new build's worker replaces the old one at once.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
@allow(PUBLIC)
def page():
    return render("offline/page.html")


@bp.before_app_request
def change_sent_again():
    """A change sent with a key this user's phone sent before was done the first time: 204
    (nothing to swap, nothing done again). The key commits with the change itself."""
    key = request.headers.get("Idempotency-Key")
    if key is None or request.method != "POST" or request.blueprint == "api" \
            or not current_user.is_authenticated:
        return None
    if not ordering.valid_replay_key(key):
        return make_response(_("This change could not be sent: refresh the page."), 400)
    if ordering.first_time_change(current_user.id, key, datetime.now(UTC)):
        return None
    return Response(status=204)
