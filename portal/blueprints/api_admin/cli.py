"""`portal api-clients ...`: create, list, rotate and revoke API clients from a shell."""

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.extensions import db
from portal.services import integration
from portal.usecases import in_shell


@click.group("api-clients")
def api_clients():
    """API clients of /api/v1 (the ERP, PIM, CRM; customers' procurement systems)."""


def _named(name: str):
    client = integration.client_by_name(name)
    if client is None:
        raise click.ClickException(f"No API client named {name!r}.")
    return client


@api_clients.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, required=True,
              type=click.Choice(integration.SCOPES), help="Repeat for several scopes.")
@click.option("--company", "company_id", type=int, default=None,
              help="A customer's client: that company only (orders:read, cart:write).")
@with_appcontext
def create(name: str, scopes: tuple[str, ...], company_id: int | None):
    """Create a client and print its token (shown this once only)."""
    with current_app.test_request_context():  # the rules' messages are translated
        client, token = in_shell(lambda: integration.create_client(
            name, scopes, company_id=company_id, now=datetime.now(UTC)))
    click.echo(f"API client {client.name!r} created with {', '.join(client.scopes)}.")
    click.echo("Its token, shown once (store it now):")
    click.echo(token)


@api_clients.command("list")
@with_appcontext
def list_clients():
    """Every client with its scopes and state (never a token)."""
    for client in integration.clients():
        state = "revoked" if client.revoked_at else "active"
        side = f"company {client.company_id}" if client.company_id else "seller"
        click.echo(f"{client.name}\t{side}\t{state}\t{client.token_hint}…\t"
                   f"{' '.join(client.scopes)}")


@api_clients.command("rotate")
@click.argument("name")
@with_appcontext
def rotate(name: str):
    """A new token for this client; the old one stops working now."""
    with current_app.test_request_context():
        token = in_shell(lambda: integration.rotate_client(_named(name), now=datetime.now(UTC)))
    click.echo(token)


@api_clients.command("revoke")
@click.argument("name")
@with_appcontext
def revoke(name: str):
    """Revoke this client: its token fails from the next request on."""
    integration.revoke_client(_named(name), now=datetime.now(UTC))
    db.session.commit()
    click.echo(f"API client {name!r} revoked.")
