"""Translated labels in templates escape what they are given, on the fast path too: a value
escaped already (Markup) or an integer goes in as it is, anything else is escaped."""

from flask import render_template_string
from markupsafe import Markup

LABEL = '{{ _("Remove %(name)s", name=name) }}'


def _render(app, language: str, template: str = LABEL, **values) -> str:
    with app.test_request_context("/", headers={"Accept-Language": language}):
        return render_template_string(template, **values)


def test_a_typed_name_is_escaped_in_a_label(app):
    assert _render(app, "en", name='<img src=x onerror="alert(1)">&') == (
        "Remove &lt;img src=x onerror=&#34;alert(1)&#34;&gt;&amp;")


def test_a_name_escaped_once_is_not_escaped_twice(app):
    name = Markup.escape("Vis <4x40> & écrous")
    assert _render(app, "en", name=name) == "Remove Vis &lt;4x40&gt; &amp; écrous"
    assert _render(app, "en", "{{ _('Remove %(name)s', name=name|e) }}",
                   name="<b>") == "Remove &lt;b&gt;"


QUANTITY = "{{ _('The smallest quantity is %(min)s.', min=value) }}"


def test_a_number_goes_into_the_french_label(app):
    french = _render(app, "fr", QUANTITY, value=12)
    assert french == "La quantité minimale est 12."


def test_values_not_exactly_markup_or_int_take_the_escaping_path(app):
    # The app context (and the language chosen in it) lasts the whole test: English only.
    assert _render(app, "en", QUANTITY, value=True) == "The smallest quantity is True."

    class Sneaky(Markup):
        pass

    assert _render(app, "en", name=Sneaky("<b>")) == "Remove <b>"
