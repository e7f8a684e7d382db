"""Lines of "SKU quantity" read from pasted text or an uploaded CSV file. Pure functions.

Pasted text: each line is split on a tab (a spreadsheet's cells), else `;`, else `,`, else
spaces; quoted cells are honoured. A CSV file is decoded (UTF-8 with or without BOM, UTF-16
with BOM, else Windows-1252, else Latin-1, and the page says which) and its delimiter sniffed
among `,` `;` and tab. In both, blank lines are ignored and a first line that names its
columns ("SKU;Qty", "Référence,Quantité") is a header: it is skipped and its column order
used. Nothing else is skipped: a line that cannot be read becomes a line with an error.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from portal.services import DomainError

MAX_LINES = 500
MAX_FILE_BYTES = 2 * 1024 * 1024
DELIMITERS = ("\t", ";", ",")

SKU_WORDS = {"sku", "ref", "reference", "article", "code", "code article", "item", "product",
             "produit", "part", "part number", "item number"}
QTY_WORDS = {"qty", "qte", "quantity", "quantite", "quantites", "quantities", "nb", "nombre",
             "qt", "quant", "count"}

UTF8, UTF16, CP1252, LATIN1 = "utf-8", "utf-16", "cp1252", "latin-1"


@dataclass(frozen=True)
class RawLine:
    """One input line as typed: `line_no` counts lines of its source (rows, paste, file)."""

    source: str  # "row", "paste" or "file"
    line_no: int
    sku: str
    quantity: str


@dataclass(frozen=True)
class Parsed:
    lines: tuple[RawLine, ...]
    header: bool = False
    encoding: str | None = None
    error: str = ""  # why the file was not read at all (then `lines` is empty)


def _fold(cell: str) -> str:
    text = unicodedata.normalize("NFKD", cell.strip().strip('"').lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace(".", " ").replace("_", " ").replace("-", " ").split())


def _outside_quotes(line: str) -> str:
    parts = line.split('"')
    return "".join(parts[0::2])


def split_cells(line: str, delimiter: str | None = None) -> list[str]:
    """Cells of one line: the given delimiter, else the first of tab ; , found, else spaces."""
    if delimiter is None:
        bare = _outside_quotes(line)
        delimiter = next((d for d in DELIMITERS if d in bare), None)
    if delimiter is None:
        return [c.strip('"') for c in line.split()]
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]


def header_columns(cells: list[str]) -> tuple[int, int] | None:
    """(sku column, quantity column) when these cells name columns, else None."""
    folded = [_fold(c) for c in cells]
    sku_col = next((i for i, c in enumerate(folded) if c in SKU_WORDS), None)
    qty_col = next((i for i, c in enumerate(folded) if c in QTY_WORDS), None)
    if sku_col is None and qty_col is None:
        return None
    if sku_col is None:
        sku_col = 0 if qty_col != 0 else 1
    if qty_col is None:
        qty_col = 1 if sku_col != 1 else 0
    return sku_col, qty_col


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _lines_from_rows(rows, source: str, encoding: str | None = None) -> Parsed:
    """rows: (line number, cells) pairs, blank ones included."""
    lines, columns, header, first = [], (0, 1), False, True
    for line_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if first:
            first = False
            found = header_columns(cells)
            quantity = _cell(cells, 1).strip()
            if found is not None and not (quantity.isascii() and quantity.isdigit()):
                columns, header = found, True
                continue
        lines.append(RawLine(source, line_no, _cell(cells, columns[0]).strip(),
                             _cell(cells, columns[1]).strip()))
    return Parsed(tuple(lines), header, encoding)


def parse_text(text: str, source: str = "paste") -> Parsed:
    """Pasted lines; each line picks its own separator (a paste may mix them)."""
    rows = ((n, split_cells(line)) for n, line in enumerate((text or "").splitlines(), 1))
    return _lines_from_rows(rows, source)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and the encoding it was read with."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), UTF16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise DomainError(_("This file is not a text (CSV) file."))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), CP1252
    except UnicodeDecodeError:
        return data.decode("latin-1"), LATIN1


def sniff_delimiter(text: str) -> str | None:
    """The delimiter most lines of the sample use, among tab ; and , (None: none of them)."""
    sample = [_outside_quotes(line) for line in text.splitlines()[:50] if line.strip()]
    best, best_count = None, 0
    for delimiter in DELIMITERS:
        count = sum(1 for line in sample if delimiter in line)
        if count > best_count:
            best, best_count = delimiter, count
    return best


def parse_csv(data: bytes) -> Parsed:
    """The file's lines, or (too large, not CSV) no lines and the `error` to show."""
    if len(data) > MAX_FILE_BYTES:
        return Parsed((), error=_("The file is too large (%(max)s MB at most).",
                                  max=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        text, encoding = decode_bytes(data)
    except DomainError as e:
        return Parsed((), error=str(e))
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        parsed = parse_text(text, source="file")
        return Parsed(parsed.lines, parsed.header, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, cells) for cells in reader]
    except csv.Error as e:
        return Parsed((), error=_("This CSV file cannot be read: %(error)s", error=str(e)))
    return _lines_from_rows(rows, "file", encoding)
