"""The statement as a PDF (the same rows as the statement page: what is still to pay first,
then the latest settled invoices), drawn like the invoices (reportlab, embedded fonts). In
French, the seller's language of record, whatever the reader's."""

from __future__ import annotations

import io
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from portal.services.billing.cii import seller
from portal.services.billing.document import _eur, _fonts, _p, _styles
from portal.services.billing.statements import Statement


def statement_pdf(company, found: Statement, today: date) -> bytes:
    with force_locale("fr"):
        return _draw(company, found, today)


def _draw(company, found: Statement, today: date) -> bytes:
    _fonts()
    s, who, cur = _styles(), seller(), found.currency
    out = io.BytesIO()
    title = _("Statement of %(company)s", company=company.name)
    doc = SimpleDocTemplate(out, pagesize=A4, title=title, author=who.name,
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm)
    story = [_p(who.name, s["bold"]), _p(title, s["title"]),
             _p(_("On %(date)s", date=today.strftime("%d/%m/%Y")), s["body"]), Spacer(1, 4 * mm),
             _p(_("Balance: %(amount)s", amount=_eur(found.balance_cents, cur)), s["bold"]),
             _p(_("Overdue: %(amount)s", amount=_eur(found.overdue_cents, cur)), s["bold"]),
             Spacer(1, 5 * mm)]
    rows = [[_p(t, s["bold"]) for t in (_("Number"), _("Issued"), _("Due date"), _("Status"))]
            + [_p(t, s["bold_right"]) for t in (_("Total"), _("Left to pay"))]]
    for row in found.shown:
        inv = row.invoice
        rows.append([inv.number, inv.issued_on.strftime("%d/%m/%Y"),
                     inv.due_on.strftime("%d/%m/%Y") if inv.due_on else "",
                     row.status_label,
                     ("−" if inv.kind == "credit_note" else "") + _eur(inv.total_cents, cur),
                     _eur(row.outstanding_cents, cur)])
    table = Table(rows, colWidths=[36 * mm, 22 * mm, 22 * mm, 30 * mm, 32 * mm, 32 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Vera", 8.5), ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey)]))
    story.append(table)
    if found.hidden_count:
        story += [Spacer(1, 3 * mm), _p(_("Older paid invoices are not listed: %(count)s.",
                                          count=found.hidden_count), s["small"])]
    doc.build(story)
    return out.getvalue()
