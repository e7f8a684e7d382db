"""Each role lands on a home page that fits it: cards registered by the features."""

from flask import current_app
from flask_login import current_user

from portal.access import PUBLIC, allow
from portal.blueprints.home import bp
from portal.home_cards import cards_for
from portal.rendering import render


@bp.get("/")
@allow(PUBLIC)
def index():
    if not current_user.is_authenticated:
        return render("home/welcome.html", public_catalog=current_app.config["PUBLIC_CATALOG"])
    # The cards read the user many times: the object, not the proxy in front of it.
    return render("home/index.html", cards=cards_for(current_user._get_current_object()))

