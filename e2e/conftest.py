"""End-to-end fixtures: the real portal (migrations, demo data, gunicorn, `portal worker`),
a real SMTP server on loopback, and Debian's Chromium driven by Playwright at 360 × 640.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from portal.devmail import start as start_smtp

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
# The instance folder of each demo portal this session started, by its URL (its database).
INSTANCES: dict[str, Path] = {}
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture(scope="session")
def mailbox():
    port = _free_port()
    controller, handler = start_smtp("127.0.0.1", port)
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, mailbox):
    """The demo portal served by gunicorn, exactly as `portal demo` builds it."""
    with demo_portal(tmp_path_factory, mailbox.port) as url:
        yield url


@contextmanager
def demo_portal(tmp_path_factory, mail_port: int, port: int | None = None, **variables):
    """A demo portal of its own (gunicorn and `portal worker`) on 127.0.0.1:`port`;
    `variables` are more PORTAL_* settings (a test's own configuration)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed")
    instance = tmp_path_factory.mktemp("instance")
    port = port or _free_port()
    env = dict(os.environ)
    env.pop("PORTAL_DATABASE_URL", None)
    env.update({
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_SECRET_KEY": "e2e-secret-key",
        "PORTAL_SESSION_COOKIE_SECURE": "0",
        "PORTAL_REMEMBER_COOKIE_SECURE": "0",
        "PORTAL_MAIL_PORT": str(mail_port),
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "PORTAL_LOGIN_RATE_LIMIT": "200 per minute",
        **variables,
    })
    portal = [sys.executable, "-m", "portal"]
    subprocess.run([*portal, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*portal, "seed-demo"], env=env, check=True, capture_output=True)
    log = open(instance / "server.log", "w")  # noqa: SIM115 - closed at teardown
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
             "--bind", f"127.0.0.1:{port}", "portal:create_app()"],
            env=env, stdout=log, stderr=subprocess.STDOUT),
        subprocess.Popen([*portal, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT),
    ]
    url = f"http://127.0.0.1:{port}"
    INSTANCES[url] = instance
    try:
        _wait_for(url + "/healthz")
        yield url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
        log.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "fr-FR"}


@pytest.fixture
def shot(page):
    """Save a screenshot under e2e/screenshots/<name>.png (looked at by people, not asserted)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    return take


def sign_in(page, base_url: str, email: str, password: str = "demo-password"):
    page.goto(base_url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(**PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def clear_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def signed_in(browser, live_server):
    """Each person's cookies, signed in once and reused by the walks over the key pages
    (argon2 costs a second a sign-in)."""
    states = {}

    def state(email: str | None) -> dict | None:
        if email and email not in states:
            context = browser.new_context(**PHONE, locale="fr-FR")
            sign_in(context.new_page(), live_server, email)
            states[email] = context.storage_state()
            context.close()
        return states.get(email)

    return state
