"""Staff admins create, rotate and revoke API clients; a new token is shown once, in the
answer to the POST that made it (never stored, never put in the session cookie)."""

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.api_admin import bp
from portal.blueprints.api_admin.forms import ClientForm
from portal.extensions import db
from portal.models import ApiClient, Role
from portal.rendering import render
from portal.services import integration
from portal.usecases import form_page, run

ADMINS = (Role.STAFF_ADMIN,)


def _page(form=None, token=None, token_for=None, status_code=200):
    return render("api_admin/clients.html", status_code=status_code,
                  clients=integration.clients(seller=True), form=form or ClientForm(),
                  token=token, token_for=token_for)


def _seller_client_or_404(client_id: int) -> ApiClient:
    client = integration.client_of(client_id, None)
    if client is None:
        abort(404)
    return client


@bp.get("/staff/api-clients")
@allow(*ADMINS)
def clients():
    return _page()


@bp.post("/staff/api-clients")
@allow(*ADMINS)
def create_client():
    form = ClientForm()
    return form_page(
        form, lambda: integration.create_client(form.name.data, form.scopes.data,
                                                actor=current_user, now=datetime.now(UTC)),
        page=lambda error: _page(form=form),
        done=lambda made: _page(token=made[1], token_for=made[0]), fallback="name")


@bp.post("/staff/api-clients/<int:client_id>/rotate")
@allow(*ADMINS)
def rotate_client(client_id: int):
    client = _seller_client_or_404(client_id)
    return run(lambda: integration.rotate_client(client, actor=current_user,
                                                 now=datetime.now(UTC)),
               refused=_refused_page, done=lambda token: _page(token=token, token_for=client))


def _refused_page(problem):
    flash(str(problem), "error")  # shown on this very page, then gone
    return _page()


@bp.post("/staff/api-clients/<int:client_id>/revoke")
@allow(*ADMINS)
def revoke_client(client_id: int):
    client = _seller_client_or_404(client_id)
    integration.revoke_client(client, actor=current_user, now=datetime.now(UTC))
    db.session.commit()
    return redirect(url_for("api_admin.clients"), 303)


@bp.get("/staff/api-reference")
@allow(*ADMINS, Role.FULFILMENT, Role.SALES_REP)
def reference():
    # The API blueprint serves the generated document; asked through its endpoint, since
    # blueprints do not import each other.
    document = current_app.view_functions["api.openapi"]().get_json()
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
         "description": op.get("description", ""),
         "codes": sorted(op.get("responses", {}))}
        for path, methods in sorted(document["paths"].items())
        for method, op in methods.items()
    ]
    return render("api_admin/reference.html", operations=operations,
                  version=document["info"].get("version"), title=_("API reference"))


@bp.get("/staff/api-clients/<int:client_id>/webhooks")
@allow(*ADMINS)
def webhooks(client_id: int):
    client = _seller_client_or_404(client_id)
    logs = [(sub, integration.deliveries_of(sub))
            for sub in integration.subscriptions_of(client.id)]
    return render("api_admin/webhooks.html", client=client, logs=logs)


@bp.post("/staff/api-clients/<int:client_id>/webhooks/<int:delivery_id>/resend")
@allow(*ADMINS)
def resend_delivery(client_id: int, delivery_id: int):
    client = _seller_client_or_404(client_id)
    delivery = integration.delivery_of(client.id, delivery_id)
    if delivery is None:
        abort(404)
    integration.send_again(delivery, datetime.now(UTC))
    db.session.commit()
    flash(_("The delivery will be sent again within a minute."))
    return redirect(url_for("api_admin.webhooks", client_id=client.id), 303)
