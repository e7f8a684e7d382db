"""A company admin's tokens for the company's own procurement system: orders:read and
cart:write, limited to the company; shown once, revocable at once."""

from datetime import UTC, datetime

from flask import abort, redirect, url_for
from flask_login import current_user

from portal.access import allow
from portal.blueprints.api_admin import bp
from portal.blueprints.api_admin.forms import CompanyTokenForm
from portal.extensions import db
from portal.models import Role
from portal.rendering import render
from portal.services import integration
from portal.usecases import form_page


def _page(form=None, token=None, token_for=None, status_code=200):
    return render("api_admin/company_tokens.html", status_code=status_code,
                  clients=integration.clients(current_user.company_id),
                  form=form or CompanyTokenForm(), token=token, token_for=token_for)


@bp.get("/company/api-tokens")
@allow(Role.COMPANY_ADMIN)
def company_tokens():
    return _page()


@bp.post("/company/api-tokens")
@allow(Role.COMPANY_ADMIN)
def create_company_token():
    form = CompanyTokenForm()
    return form_page(
        form, lambda: integration.create_client(
            form.name.data, form.scopes.data, company_id=current_user.company_id,
            actor=current_user, now=datetime.now(UTC)),
        page=lambda error: _page(form=form),
        done=lambda made: _page(token=made[1], token_for=made[0]), fallback="name")


@bp.post("/company/api-tokens/<int:client_id>/revoke")
@allow(Role.COMPANY_ADMIN)
def revoke_company_token(client_id: int):
    client = integration.client_of(client_id, current_user.company_id)
    if client is None:
        abort(404)
    integration.revoke_client(client, actor=current_user, now=datetime.now(UTC))
    db.session.commit()
    return redirect(url_for("api_admin.company_tokens"), 303)
