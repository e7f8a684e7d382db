from portal.access import STAFF, allow
from portal.blueprints.fulfilment import bp
from portal.rendering import render


@bp.get("/")
@allow(STAFF)
def index():
    return render("placeholder.html")
