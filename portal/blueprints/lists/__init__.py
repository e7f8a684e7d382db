from flask import Blueprint

bp = Blueprint("lists", __name__, url_prefix="/lists")

# lines uses routes (show_list); routes does not use lines: both are registered from here.
from portal.blueprints.lists import lines, routes  # noqa: E402,F401
