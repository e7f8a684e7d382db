"""Wording a reader notices: real plurals, French spacing, punctuation inside the messages.

These scan the sources, so a hand-made plural or a glued colon cannot come back unnoticed.
"""

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from portal.i18n import TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2] / "portal"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
QUOTED = re.compile(r"""(["'])((?:\\.|(?!\1).)*)\1""")
# "commande(s)", "ajoutée(s)", "heure(s)", "line(s)", "travail(aux)": a plural left to the reader.
HAND_MADE_PLURAL = re.compile(r"\w\((?:s|es|x|e|aux)\)", re.IGNORECASE)
# French puts a narrow no-break space (U+202F) before : ; ? ! — never a plain or no space.
FRENCH_SPACE_BEFORE = re.compile(r"(?:[ \u00a0]|[^\W\d_])([;?!])|[ \u00a0]:|[^\W\d_]:(?=\s|$)")
# `{{ _("Payment") }}: x` glues an English colon to a translated word: the colon belongs in
# the message, where French can space it.
COLON_AFTER_MESSAGE = re.compile(r"""_\((["'])[^"']*\1\)\s*\}\}\s*[:;?!]""")


def _texts():
    """(where, text) of every template line and every string literal of the Python code."""
    for path in ROOT.joinpath("templates").rglob("*.*"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # Inside {{ }} and {% %}, only the quoted strings are text (`event_text(e)` is not).
            text = JINJA.sub(lambda m: " ".join(q[1] for q in QUOTED.findall(m.group())), line)
            yield f"{path.relative_to(ROOT)}:{number}", text
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


def _french_messages():
    for path in sorted((TRANSLATIONS_DIR / "fr").glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                texts = message.string if isinstance(message.string, tuple) else (
                    message.string,)
                yield path.name, ids, [t for t in texts if t]


def test_no_hand_made_plural_in_templates_or_code_strings():
    found = [f"{where}: {text.strip()}" for where, text in _texts()
             if HAND_MADE_PLURAL.search(text)]
    assert not found, "use ngettext:\n" + "\n".join(found)


def test_no_hand_made_plural_in_the_french_catalog():
    found = [f"{name}: {text}" for name, ids, texts in _french_messages()
             for text in (*ids, *texts) if HAND_MADE_PLURAL.search(text)]
    assert not found, "use ngettext (msgid_plural):\n" + "\n".join(found)


def test_french_puts_a_narrow_no_break_space_before_colons_and_question_marks():
    found = [f"{name}: {text!r}" for name, _ids, texts in _french_messages()
             for text in texts if FRENCH_SPACE_BEFORE.search(text.replace("://", ""))]
    assert not found, "use U+202F before : ; ? ! in French:\n" + "\n".join(found)


def test_no_punctuation_glued_after_a_translated_message_in_templates():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in ROOT.joinpath("templates").rglob("*.*")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if COLON_AFTER_MESSAGE.search(line)]
    assert not found, "put the colon inside the message:\n" + "\n".join(found)


def test_the_rules_catch_what_they_are_for():
    assert HAND_MADE_PLURAL.search("8 ligne(s) ajoutée(s)")
    assert HAND_MADE_PLURAL.search("%(n)s order(s)")
    assert FRENCH_SPACE_BEFORE.search("Paiement: 30 jours")
    assert FRENCH_SPACE_BEFORE.search("Motif : %(reason)s")
    assert FRENCH_SPACE_BEFORE.search("Mot de passe oublié ?")
    assert not FRENCH_SPACE_BEFORE.search("Motif\u202f: %(reason)s, à 16:37")
    assert COLON_AFTER_MESSAGE.search('{{ _("Payment") }}: {{ terms }}')


NGETTEXT = re.compile(r"""ngettext\(\s*(["'])((?:\\.|(?!\1).)*?)\1\s*,""", re.S)


def test_every_plural_message_of_the_templates_has_french_forms():
    known = {}
    for _name, ids, texts in _french_messages():
        if len(ids) > 1:
            known[ids[0]] = texts
    missing = [f"{path.relative_to(ROOT)}: {match.group(2)!r}"
               for path in ROOT.joinpath("templates").rglob("*.*")
               for match in NGETTEXT.finditer(path.read_text(encoding="utf-8"))
               if len(known.get(match.group(2), ())) < 2]
    assert not missing, "add msgid_plural and both msgstr forms:\n" + "\n".join(missing)
