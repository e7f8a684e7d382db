from portal.access import PUBLIC, allow
from portal.blueprints.apply import bp
from portal.rendering import render


@bp.get("/")
@allow(PUBLIC)
def index():
    return render("placeholder.html")
