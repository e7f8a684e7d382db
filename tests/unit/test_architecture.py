"""The shape of the code, pinned: services are domain packages entered through their front
doors, blueprints stay apart, modules stay short. Read from the source with `ast`."""

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"

# Shared by every domain; anything else at the top of services/ belongs in a package.
SHARED_SERVICE_MODULES = {"__init__.py", "text.py", "quantities.py", "navigation.py"}

MAX_LINES = 350
# Modules allowed over MAX_LINES: empty since the services moved into packages (orders/detail
# and ordering/sku_lookup were split off). Split a module rather than add it here.
TOO_LONG_ALLOWED: set[str] = set()


def _modules(portal: Path):
    for path in sorted(portal.rglob("*.py")):
        rel = path.relative_to(portal).as_posix()
        if not rel.startswith(("demo/", "migrations/")):
            yield rel, path


def _imports(path: Path):
    """(imported module, names taken from it) for every import in a file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, tuple(alias.name for alias in node.names)


def _front_door(package: Path) -> set[str]:
    """The names a package's __init__ offers in its __all__."""
    for node in ast.parse((package / "__init__.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def front_door_breaches(portal: Path = PORTAL) -> list[str]:
    """Imports of a service package's inner module from outside that package."""
    services = portal / "services"
    packages = {p.name: p for p in services.iterdir() if (p / "__init__.py").is_file()}
    found = []
    for rel, path in _modules(portal):
        parts = rel.split("/")
        home = parts[1] if parts[0] == "services" and len(parts) > 2 else None
        for module, names in _imports(path):
            dotted = module.split(".")
            if dotted[:2] != ["portal", "services"] or len(dotted) == 2:
                continue
            package = packages.get(dotted[2])
            if package is None or dotted[2] == home:
                continue
            if len(dotted) > 3:
                found.append(f"{rel} imports {module}")
                continue
            offered = _front_door(package)
            for name in names:
                inner = (package / f"{name}.py").is_file() or (package / name).is_dir()
                if inner and name not in offered:
                    found.append(f"{rel} imports {module}.{name}")
    return found


def test_services_top_level_holds_only_packages_and_shared_modules():
    loose = sorted(p.name for p in (PORTAL / "services").glob("*.py")
                   if p.name not in SHARED_SERVICE_MODULES)
    assert loose == [], f"put these in a domain package: {loose}"


def test_callers_enter_a_service_package_through_its_front_door():
    assert front_door_breaches() == []


def test_the_front_door_rule_catches_inner_imports(tmp_path):
    package = tmp_path / "services" / "ordering"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from portal.services.ordering.cart import add_to_cart\n__all__ = ['add_to_cart']\n")
    (package / "cart.py").write_text("def add_to_cart(): ...\n")
    (package / "lists.py").write_text("from portal.services.ordering.cart import add_to_cart\n")
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "cart.py").write_text(
        "from portal.services.ordering.cart import add_to_cart\n"
        "from portal.services.ordering import cart\n"
        "from portal.services.ordering import add_to_cart\n"
        "from portal.services import ordering\n")
    assert front_door_breaches(tmp_path) == [
        "blueprints/cart.py imports portal.services.ordering.cart",
        "blueprints/cart.py imports portal.services.ordering.cart",
    ]


def test_blueprints_do_not_import_each_other():
    crossings = []
    for rel, path in _modules(PORTAL):
        parts = rel.split("/")
        if parts[0] != "blueprints" or len(parts) < 3:
            continue
        for module, _names in _imports(path):
            dotted = module.split(".")
            if dotted[:2] == ["portal", "blueprints"] and len(dotted) > 2 and dotted[2] != parts[1]:
                crossings.append(f"{rel} imports {module}")
    assert crossings == []


def test_modules_stay_short():
    long = {rel for rel, path in _modules(PORTAL)
            if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES}
    assert long - TOO_LONG_ALLOWED == set(), f"split these modules (over {MAX_LINES} lines)"
    assert TOO_LONG_ALLOWED - long == set(), "short enough now: take them off TOO_LONG_ALLOWED"


# Views answer a refusal through portal/usecases (run / form_page), never by hand; the JSON
# API's operations through its one problem answer (blueprints/api/problems.py). Nothing is
# exempt any more: keep it so.
HAND_WRITTEN_REFUSALS_ALLOWED: tuple[str, ...] = ()


def _domain_errors(portal: Path) -> set[str]:
    """DomainError and the names of its subclasses declared anywhere in services/."""
    bases: dict[str, set[str]] = {}
    for path in sorted((portal / "services").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else b.attr for b in node.bases
                    if isinstance(b, ast.Name | ast.Attribute))
    found = {"DomainError"}
    while grown := {name for name, parents in bases.items() if parents & found} - found:
        found |= grown
    return found


def hand_written_refusals(portal: Path = PORTAL) -> list[str]:
    """`except <a DomainError>` in a blueprint: a view answering a refusal by hand."""
    errors = _domain_errors(portal)
    found = []
    for rel, path in _modules(portal):
        if not rel.startswith("blueprints/") or rel.startswith(HAND_WRITTEN_REFUSALS_ALLOWED):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                names = {c.id if isinstance(c, ast.Name) else getattr(c, "attr", "")
                         for c in caught}
                if names & errors:
                    found.append(f"{rel}:{node.lineno} catches {', '.join(sorted(names))}")
    return found


def test_views_answer_refusals_through_the_use_case_runner():
    assert hand_written_refusals() == [], "use portal.usecases.run or form_page"


def test_the_runner_rule_catches_a_hand_written_refusal(tmp_path):
    (tmp_path / "services" / "ordering").mkdir(parents=True)
    (tmp_path / "services" / "__init__.py").write_text("class DomainError(Exception): ...\n")
    (tmp_path / "services" / "ordering" / "checkout.py").write_text(
        "from portal.services import DomainError\n"
        "class EmptyCart(DomainError): ...\nclass AlreadyOrdered(EmptyCart): ...\n")
    (tmp_path / "blueprints" / "cart").mkdir(parents=True)
    (tmp_path / "blueprints" / "cart" / "routes.py").write_text(
        "try:\n    pass\nexcept DomainError:\n    pass\n"
        "try:\n    pass\nexcept (ValueError, ordering.AlreadyOrdered):\n    pass\n"
        "try:\n    pass\nexcept IntegrityError:\n    pass\n")
    assert hand_written_refusals(tmp_path) == [
        "blueprints/cart/routes.py:3 catches DomainError",
        "blueprints/cart/routes.py:7 catches AlreadyOrdered, ValueError",
    ]


def werkzeug_in_services(portal: Path = PORTAL) -> list[str]:
    """Services answer with results, None or domain errors; HTTP is the views' business."""
    found = []
    for rel, path in _modules(portal):
        if not rel.startswith("services/"):
            continue
        for module, names in _imports(path):
            if module.startswith("werkzeug.exceptions") or (module == "flask" and "abort" in names):
                found.append(f"{rel} imports {module} {', '.join(names)}".strip())
    return found


def test_services_raise_no_http_errors():
    assert werkzeug_in_services() == []


def queries_in_views(portal: Path = PORTAL) -> list[str]:
    """Blueprints ask services; reading the session (get, scalar(s), execute) or building a
    select() there is a query in a view. Commits and rollbacks stay the views' business."""
    reads = {"get", "scalar", "scalars", "execute", "query"}
    found = []
    for rel, path in _modules(portal):
        if not rel.startswith("blueprints/") or rel.startswith(HAND_WRITTEN_REFUSALS_ALLOWED):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = ast.unparse(func)
            if name.endswith(".select") or name == "select" or (
                    isinstance(func, ast.Attribute) and func.attr in reads
                    and ast.unparse(func.value).endswith("db.session")):
                found.append(f"{rel}:{node.lineno} {name}")
    return found


def test_views_leave_queries_to_services():
    assert queries_in_views() == []
