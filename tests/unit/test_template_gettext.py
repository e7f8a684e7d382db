"""Labels in templates (`_()`, `ngettext()`, portal/i18n.py) speak the language of the render
that shows them, wherever the template's macros come from."""

from flask_babel import force_locale
from jinja2 import DictLoader

from portal import create_app
from tests.conftest import base_config


def test_a_macro_imported_without_context_speaks_the_language_of_each_render():
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI="sqlite://"))
    # Jinja keeps a module imported without context across renders: its labels must not.
    env = app.jinja_env.overlay(loader=DictLoader({
        "labels.html": '{% macro stock(n) %}{{ _("In stock") }} · '
                       '{{ ngettext("%(num)s unit available", "%(num)s units available", n) }}'
                       '{% endmacro %}',
        "page.html": '{% from "labels.html" import stock %}{% for n in [1, 3] %}'
                     '<p>{{ stock(n) }}</p>{% endfor %}',
    }))
    page = env.get_template("page.html")
    with app.test_request_context():
        with force_locale("fr"):
            french = page.render()
        with force_locale("en"):
            english = page.render()
        with force_locale("fr"):
            again = page.render()
    assert french == again
    assert "En stock" in french and "In stock" not in french
    assert english == ("<p>In stock · 1 unit available</p>"
                       "<p>In stock · 3 units available</p>")
