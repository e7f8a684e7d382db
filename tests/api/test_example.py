"""examples/erp_sync.py runs end to end against a served portal, as an integrator would run
it against the demo (a thread stands in for `portal worker`)."""

import importlib.util
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import OrderStatus
from portal.services import integration
from tests import factories as f

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "erp_sync.py"
pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def _load_example():
    spec = importlib.util.spec_from_file_location("erp_sync", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_worked_example_runs_against_a_served_portal(app, make_caller, world, capsys):
    order = f.order(world.a.buyer, [(world.products["cement"], 3)],
                    status=OrderStatus.CONFIRMED, commit=True)
    caller = make_caller("catalog:write", "prices:write", "stock:write", "orders:read",
                         "fulfilment:write", "webhooks:manage", "customers:write",
                         name="ERP demo")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()

    def worker():
        while not stop.wait(0.2):
            with app.app_context():
                integration.deliver_due_webhooks()
                db.session.remove()

    threading.Thread(target=worker, daemon=True).start()
    try:
        code = _load_example().main([
            "--base", f"http://127.0.0.1:{server.server_port}", "--token", caller.token,
            "--category", world.categories["tools"].slug, "--price-list", world.pro.code,
            "--warehouse", world.warehouse.code, "--wait", "20"])
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"shipped order {order.number}: now shipped" in out
    assert "signature valid" in out
    assert "{'created': 3, 'updated': 0}" in out
    assert "'invitations': 1" in out  # the customer's buyer, invited to choose a password
