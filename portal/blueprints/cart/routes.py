from flask_login import login_required

from portal.blueprints.cart import bp
from portal.rendering import render


@bp.get("/")
@login_required
def index():
    return render("placeholder.html")
