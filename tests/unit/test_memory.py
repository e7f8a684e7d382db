"""A serving process freezes what it holds out of full garbage collections: once built, and
again once warm; a test app never does (its objects must be collected)."""

from portal import create_app, memory


def _app(**settings):
    return create_app({"SECRET_KEY": "a-secret-for-this-test", "TESTING": False,
                       "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


def test_a_serving_app_freezes_when_built_and_once_warm(monkeypatch):
    frozen = []
    monkeypatch.setattr(memory, "freeze", lambda: frozen.append(True))
    app = _app(GC_FREEZE_AFTER_REQUESTS=3)
    assert len(frozen) == 1  # what the built app holds
    client = app.test_client()
    for _ in range(2):
        client.get("/healthz")
    assert len(frozen) == 1
    client.get("/healthz")
    assert len(frozen) == 2  # warm: templates, catalogs, statement caches
    for _ in range(5):
        client.get("/healthz")
    assert len(frozen) == 2  # once only


def test_no_freeze_when_turned_off_or_under_test(monkeypatch):
    frozen = []
    monkeypatch.setattr(memory, "freeze", lambda: frozen.append(True))
    for app in (_app(GC_FREEZE_AFTER_REQUESTS=0), _app(TESTING=True)):
        client = app.test_client()
        for _ in range(3):
            client.get("/healthz")
    assert frozen == []


def test_a_memo_of_the_process_starts_afresh_past_its_bound_and_belongs_to_its_app():
    """The user copies (identity.py), the layout's variants and the reference data are kept
    in such memos: none grows past its bound, whatever a long-running process serves."""
    first, second = _app(), _app()
    with first.app_context():
        memo = memory.kept("test.memo", 2)
        assert memo.keep("a", 1) == 1 and memo.keep("b", 2) == 2
        assert memo.keep("c", 3) == 3
        assert dict(memo) == {"c": 3}
        assert memory.kept("test.memo", 2) is memo
    with second.app_context():
        assert memory.kept("test.memo", 2) == {}
