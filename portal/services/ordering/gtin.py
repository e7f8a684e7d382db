"""GTIN (the number under a barcode: EAN-8, UPC-A, EAN-13, GTIN-14) rules. Pure functions.

A GTIN's last digit is a check digit over the others (weights 3 and 1 from the right), so a
misread or mistyped digit is caught before any product is looked up. GTINs of different
lengths are the same number padded with zeros on the left (a UPC-A read as EAN-13 gains a
leading 0, a case's GTIN-14 with indicator 0 is its EAN-13): `equivalents` gives every
length a catalog may have stored it in.
"""

from __future__ import annotations

LENGTHS = (8, 12, 13, 14)


def looks_like_gtin(code: str) -> bool:
    """Digits only, of a GTIN's length: what a barcode of a product reads as."""
    return code.isascii() and code.isdigit() and len(code) in LENGTHS


def check_digit(body: str) -> int:
    """The check digit for the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid(code: str) -> bool:
    return looks_like_gtin(code) and check_digit(code[:-1]) == int(code[-1])


def equivalents(code: str) -> tuple[str, ...]:
    """The same GTIN at every length it fits in (zeros added or taken on the left)."""
    if not looks_like_gtin(code):
        return ()
    core = code.lstrip("0")
    return tuple(dict.fromkeys(core.zfill(n) for n in LENGTHS if len(core) <= n))
