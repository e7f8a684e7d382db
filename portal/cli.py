"""The `portal` command: Flask's CLI for this app plus demo, seeding and the worker."""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from portal import create_app


@click.group(cls=FlaskGroup, create_app=create_app)
def main():
    """Trade portal management: `portal demo`, `portal db upgrade`, `portal run`, ..."""
    # A command's log lines (the mail worker's, a reminder run's) carry one id per run, as a
    # request's carry the request id: `job_id=send-mail-3f9a1c2e`.
    command = click.get_current_context().invoked_subcommand
    if command:
        from portal.logs import bind_job

        bind_job(f"{command}-{secrets.token_hex(4)}")


@main.command("seed-demo")
@click.option("--now", "now", type=click.DateTime(), default=None,
              help="End the order history at this UTC time instead of the clock's.")
@with_appcontext
def seed_demo_command(now):
    """Load the deterministic demo data set into an empty, migrated database."""
    from datetime import UTC

    from portal.demo import seed

    counts = seed.seed_demo(now.replace(tzinfo=UTC) if now else None)
    click.echo("Demo data loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@main.command("worker")
@click.option("--threads", type=int, default=None,
              help="Jobs run at once in this process (default: WORKER_THREADS).")
@with_appcontext
def worker_command(threads):
    """Run every background duty: emails, imports, reminders (SIGTERM stops it cleanly)."""
    from flask import current_app

    from portal.worker import runner

    app = current_app._get_current_object()
    try:
        runner.run(app, threads or app.config["WORKER_THREADS"])
    except runner.AnotherWorker as exc:
        raise click.ClickException(str(exc)) from None


@main.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running (prefer `portal worker`).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
@with_appcontext
def send_mail_command(loop: bool, interval: float):
    """Deliver queued emails from the outbox over SMTP: one pass of the worker's email duty."""
    from portal.services.messaging import send_pending

    while True:
        sent = send_pending()
        if sent:
            click.echo(f"sent {sent} email" + ("s" if sent > 1 else ""))
        if not loop:
            break
        time.sleep(interval)


@main.command("approval-reminders")
@with_appcontext
def approval_reminders_command():
    """Remind approvers of orders waiting longer than APPROVAL_REMINDER_HOURS (run hourly)."""
    from datetime import UTC, datetime

    from portal.extensions import db
    from portal.services.approvals import send_reminders

    count = send_reminders(datetime.now(UTC))
    db.session.commit()
    click.echo(f"sent {count} reminder" + ("" if count == 1 else "s"))


@main.command("build", with_appcontext=False)
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Build directory (default: STATIC_BUILD_DIR, else inside the package).")
def build_command(into):
    """Write the content-hashed CSS/JS bundles and their manifest (keeps the last builds)."""
    from portal import assets, bundler

    try:
        bundler.install_node_packages()
        out = into or assets.configured_build_dir()
        manifest = bundler.build(out)
    except (bundler.BuildError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    before = len(manifest["builds"]) - 1
    click.echo(f"{out}: " + ", ".join(manifest["current"].values())
               + (f" (and the files of the {before} builds before)" if before else ""))


def _add_api_clients() -> None:
    from portal.blueprints.api_admin.cli import api_clients

    main.add_command(api_clients)


_add_api_clients()


@main.command("mail-sink", with_appcontext=False)
@click.option("--port", default=1025, show_default=True)
def mail_sink_command(port: int):
    """A local SMTP server that prints every message (for the demo and development)."""
    from portal.devmail import serve_forever

    serve_forever("127.0.0.1", port)


DEMO_ACCOUNTS = [
    ("buyer@demo.test", "buyer, Durand Bâtiment (limit 1,000 EUR, two jobsites)"),
    ("manager@demo.test", "purchasing manager (approver), Durand Bâtiment"),
    ("admin@demo.test", "company admin, Durand Bâtiment"),
    ("chef@demo.test", "buyer, restaurant group (hospitality prices)"),
    ("dealer@demo.test", "dealer following its orders"),
    ("staff@demo.test", "seller admin"),
    ("rep@demo.test", "sales rep with assigned customers"),
    ("warehouse@demo.test", "fulfilment"),
]


def _demo_environment(instance: Path, port: int = 8000) -> dict:
    env = dict(os.environ)
    secret_file = instance / "demo-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_hex(32))
    env.setdefault("PORTAL_SECRET_KEY", secret_file.read_text().strip())
    env.setdefault("PORTAL_SESSION_COOKIE_SECURE", "0")  # plain http on loopback
    env.setdefault("PORTAL_REMEMBER_COOKIE_SECURE", "0")
    env.setdefault("PORTAL_MAIL_PORT", "1025")
    # Links in the demo's emails must open the server this command starts, whatever --port
    # says; an address set on purpose (variable or instance config) still wins.
    if "PORTAL_BASE_URL" not in env and not _instance_sets(instance, "BASE_URL"):
        env["PORTAL_BASE_URL"] = f"http://127.0.0.1:{port}"
    env["PORTAL_INSTANCE_PATH"] = str(instance)
    return env


def _instance_sets(instance: Path, name: str) -> bool:
    """Whether instance/config.py assigns `name` (read as the app reads it)."""
    path = instance / "config.py"
    if not path.exists():
        return False
    values: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), values)  # noqa: S102 - the app runs it too
    return name in values


@main.command("demo", with_appcontext=False)
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Only build the database.")
def demo_command(port: int, no_serve: bool):
    """Create or refresh instance/portal.sqlite3 with demo data and serve it with gunicorn."""
    instance = Path(os.environ.get("PORTAL_INSTANCE_PATH") or Path.cwd() / "instance")
    instance.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".queue", ".queue-wal", ".queue-shm"):
        (instance / f"portal.sqlite3{suffix}").unlink(missing_ok=True)
    env = _demo_environment(instance, port)
    env.pop("PORTAL_DATABASE_URL", None)
    portal_cmd = [sys.executable, "-m", "portal"]
    # A no-op when the bundles are current; a clone whose CSS changed gets them rebuilt.
    subprocess.run([*portal_cmd, "build"], env=env, check=True)
    click.echo("Creating the database (migrations) and loading the demo data...")
    subprocess.run([*portal_cmd, "db", "upgrade"], env=env, check=True)
    subprocess.run([*portal_cmd, "seed-demo"], env=env, check=True)
    if no_serve:
        return
    children = [
        subprocess.Popen([*portal_cmd, "mail-sink", "--port", env["PORTAL_MAIL_PORT"]], env=env),
        subprocess.Popen([*portal_cmd, "worker"], env=env),
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "-", "portal:create_app()"],
            env=env,
        ),
    ]
    click.echo(f"\nThe portal runs at http://127.0.0.1:{port}  (Ctrl+C to stop)")
    click.echo("Demo sign-ins, password demo-password:")
    for email, who in DEMO_ACCOUNTS:
        click.echo(f"  {email:22} {who}")
    click.echo("Emails (password reset, invitations) are printed here by the local mail sink.\n")
    # Stopped by a signal rather than Ctrl+C (a service manager, `kill`): the same clean-up,
    # or gunicorn, the mail sink and the worker would outlive the command.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        children[-1].wait()
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=10)


if __name__ == "__main__":
    main()
