"""`portal demo --port N`: the links in the demo's emails open the server it starts."""

from portal.cli import _demo_environment


def _clean(monkeypatch):
    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)


def test_demo_on_another_port_sends_links_to_that_port(tmp_path, monkeypatch):
    _clean(monkeypatch)
    env = _demo_environment(tmp_path, 8102)
    assert env["PORTAL_BASE_URL"] == "http://127.0.0.1:8102"


def test_demo_keeps_a_base_url_set_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_BASE_URL", "https://demo.example.fr")
    assert _demo_environment(tmp_path, 8102)["PORTAL_BASE_URL"] == "https://demo.example.fr"


def test_demo_keeps_a_base_url_set_in_the_instance_config(tmp_path, monkeypatch):
    _clean(monkeypatch)
    (tmp_path / "config.py").write_text('BASE_URL = "https://portail.example.fr"\n')
    assert "PORTAL_BASE_URL" not in _demo_environment(tmp_path, 8102)
