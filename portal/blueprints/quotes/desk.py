"""The seller's side of quotes: the queue of requests (the customer's rep, else any sales
staff), the answer page (price each line, replace a product, validity, delivery terms,
send), the thread, and a quote started for a customer's buyer after a phone call."""

from datetime import UTC, datetime, timedelta

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.quotes import bp
from portal.blueprints.quotes.routes import errors_of
from portal.blueprints.quotes.uploads import upload_of
from portal.models import Role
from portal.rendering import render
from portal.services import ordering, quotes
from portal.usecases import moved_on, run
from portal.web import accepts_upload

ANSWERING = (Role.STAFF_ADMIN, Role.SALES_REP)
TYPED_MAX = 2000
DEFAULT_VALID_DAYS = 30


def _now() -> datetime:
    return datetime.now(UTC)


def _quote_or_404(quote_id: int):
    quote = quotes.find_for_staff(current_user, quote_id)
    if quote is None:
        abort(404)
    return quote


@bp.get("/desk")
@allow(*ANSWERING)
def queue():
    waiting, others = quotes.staff_queue(current_user)
    return render("quotes/queue.html", waiting=waiting, others=others)


def _answer_page(quote, typed=None, errors=None, status=200):
    found = quotes.facts(quote, _now())
    today = ordering.local_today(_now())
    if typed is None:
        typed = {"valid_until": (quote.valid_until or today + timedelta(
                     days=DEFAULT_VALID_DAYS)).isoformat(),
                 "delivery_terms": found.version.delivery_terms,
                 "seen_version": str(quote.current_version)}
    return render("quotes/answer.html", status_code=status, f=found, quote=quote,
                  typed=typed, errors=errors or {}, today=today, side="seller",
                  history=quotes.recent_orders(quote.company_id))


@bp.get("/desk/<int:quote_id>")
@allow(*ANSWERING)
def answer(quote_id: int):
    return _answer_page(_quote_or_404(quote_id))


def _answer_of(form) -> quotes.Answer:
    lines = {}
    for key in form:
        name, _sep, line_id = key.partition("-")
        if name in ("price", "discount", "sku", "qty") and line_id.isascii() \
                and line_id.isdigit() and len(line_id) < 10:
            lines.setdefault(int(line_id), None)
    answers = {line_id: quotes.LineAnswer(form.get(f"price-{line_id}", ""),
                                          form.get(f"discount-{line_id}", ""),
                                          form.get(f"sku-{line_id}", ""),
                                          form.get(f"qty-{line_id}", ""))
               for line_id in lines}
    seen = form.get("seen_version", "")
    return quotes.Answer(answers, form.get("valid_until", ""), form.get("delivery_terms", ""),
                         form.get("message", ""),
                         int(seen) if seen.isascii() and seen.isdigit() and len(seen) < 6
                         else None,
                         form.get("contract_until", "") if form.get("contract") else "",
                         quotes.LineAnswer(form.get("price-new", ""),
                                           form.get("discount-new", ""),
                                           form.get("sku-new", ""), form.get("qty-new", "")))


@bp.post("/desk/<int:quote_id>")
@allow(*ANSWERING)
def send(quote_id: int):
    quote = _quote_or_404(quote_id)
    typed = {k: v[:TYPED_MAX] for k, v in request.form.items() if k != "csrf_token"}
    return run(lambda: quotes.send_version(current_user, quote, _answer_of(request.form),
                                           _now()),
               refused=lambda problem: _answer_page(quote, typed, errors_of(problem)),
               done=lambda version: moved_on(
                   _("Version %(n)s of quote %(number)s sent to %(buyer)s.", n=version.number,
                     number=quote.number, buyer=quote.buyer.name),
                   url_for("quotes.queue")))


@bp.post("/desk/<int:quote_id>/messages")
@accepts_upload
@allow(*ANSWERING)
def staff_message(quote_id: int):
    quote = _quote_or_404(quote_id)
    return run(lambda: quotes.post_message(current_user, quote, request.form.get("body", ""),
                                           _now(), upload=upload_of()),
               refused=lambda problem: _answer_page(
                   quote, {"body": request.form.get("body", "")[:TYPED_MAX]},
                   errors_of(problem)),
               done=lambda _m: moved_on(_("Message sent."),
                                        url_for("quotes.answer", quote_id=quote.id)
                                        + "#thread"))


def _customer_or_404(company_id: int):
    found = quotes.customer_buyers(current_user, company_id)
    if found is None:
        abort(404)
    return found


@bp.get("/desk/customer/<int:company_id>/new")
@allow(*ANSWERING)
def start(company_id: int):
    company, buyers = _customer_or_404(company_id)
    return render("quotes/start.html", company=company, buyers=buyers, typed={}, errors={})


@bp.post("/desk/customer/<int:company_id>/new")
@allow(*ANSWERING)
def start_send(company_id: int):
    company, buyers = _customer_or_404(company_id)
    typed = {"buyer": request.form.get("buyer", "")[:20],
             "lines": request.form.get("lines", "")[:20000]}
    return run(lambda: quotes.start_for_customer(current_user, company_id, typed["buyer"],
                                                 request.form.get("lines", ""), _now()),
               refused=lambda problem: render("quotes/start.html", company=company,
                                              buyers=buyers, typed=typed,
                                              errors=errors_of(problem)),
               done=lambda quote: moved_on(
                   _("Quote %(number)s started: price it and send it.", number=quote.number),
                   url_for("quotes.answer", quote_id=quote.id)))
