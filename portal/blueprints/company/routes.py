from portal.access import SIGNED_IN, allow
from portal.blueprints.company import bp
from portal.rendering import render


@bp.get("/")
@allow(SIGNED_IN)
def index():
    return render("placeholder.html")
