"""Product names of order lines in the reader's language.

A line freezes the product's names at order time (`name` in French, `name_en` in English),
so a later rename does not rewrite history, and each reader sees their own language. Lines
from before `name_en` existed fall back to the frozen French name.
"""

from __future__ import annotations

from portal.i18n import locale_name


def reader_is_english() -> bool:
    return locale_name().startswith("en")


def pick_name(name_fr: str, name_en: str | None) -> str:
    if name_en and reader_is_english():
        return name_en
    return name_fr


def line_name(line) -> str:
    """`line` is an OrderLine (or anything with `name` and `name_en`)."""
    return pick_name(line.name, getattr(line, "name_en", None))
