"""French is the default language: every English message used in the code has a translation."""

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from portal.i18n import TRANSLATIONS_DIR, catalog_for

ROOT = Path(__file__).resolve().parents[2] / "portal"
CALL = re.compile(
    r"""(?<![\w.])(?:_|_l|gettext|lazy_gettext)\(\s*(["'])((?:\\.|(?!\1).)*?)\1""", re.S)


GETTEXT_NAMES = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _python_messages(path: Path):
    """Messages of gettext calls in Python code (adjacent literals joined by the parser)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in GETTEXT_NAMES and isinstance(first, ast.Constant) and isinstance(
                    first.value, str):
                yield first.value


def used_messages() -> dict[str, str]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" not in path.parts:
            for text in _python_messages(path):
                found.setdefault(text, str(path.relative_to(ROOT)))
    for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.txt")]:
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            text = match.group(2)
            if "\\" in text:
                text = text.encode("latin-1", "backslashreplace").decode("unicode_escape")
            found.setdefault(text, str(path.relative_to(ROOT)))
    return found


def french_messages() -> set[str]:
    known = set()
    for path in (TRANSLATIONS_DIR / "fr").glob("*.po"):
        with path.open("rb") as fh:
            for message in read_po(fh):
                if message.id and message.string and not message.fuzzy:
                    known.add(message.id if isinstance(message.id, str) else message.id[0])
    return known


def test_every_message_in_code_and_templates_has_a_french_translation():
    known = french_messages()
    missing = {text: where for text, where in used_messages().items() if text not in known}
    assert not missing, "\n".join(f"{where}: {text!r}" for text, where in sorted(missing.items()))


def test_french_catalog_translates_the_navigation():
    catalog = catalog_for.__wrapped__("fr")
    assert catalog.gettext("Quick order") == "Commande rapide"
    assert catalog.gettext("Cart") == "Panier"


def test_no_message_has_two_french_translations_in_different_files():
    """The feature files are merged in memory and the last one wins: one English message
    translated twice ("Keep it": "La garder" for a list, "Le garder" for a quote) shows the
    wrong one somewhere. A message that needs two translations needs two messages."""
    seen: dict[str, tuple[str, object]] = {}
    conflicts = []
    for path in sorted((TRANSLATIONS_DIR / "fr").glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="fr"):
                key = message.id if isinstance(message.id, str) else message.id[0]
                if not key or not message.string:
                    continue
                first = seen.setdefault(key, (path.name, message.string))
                if first[1] != message.string:
                    conflicts.append(f"{key!r}: {first[0]} {first[1]!r} / {path.name} "
                                     f"{message.string!r}")
    assert not conflicts, "\n".join(conflicts)
