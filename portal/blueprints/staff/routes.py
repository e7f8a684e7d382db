from portal.access import SIGNED_IN, allow
from portal.blueprints.staff import bp
from portal.rendering import render


@bp.get("/")
@allow(SIGNED_IN)
def index():
    return render("placeholder.html")
