"""Each service package imports on its own, first, in a fresh interpreter.

A circle between packages (approvals -> credit -> delivery -> accounts -> approvals) only
breaks when one particular package is imported first: gunicorn's worker met one that the
app factory's order never did. Every package is tried first, in parallel processes."""

import subprocess
import sys
from pathlib import Path

import portal.services

SERVICES = Path(portal.services.__file__).parent


def test_every_service_package_imports_first_without_a_circle():
    packages = sorted(p.name for p in SERVICES.iterdir()
                      if (p / "__init__.py").exists() and p.name != "__pycache__")
    runs = {name: subprocess.Popen(
        [sys.executable, "-c", f"import portal.services.{name}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in packages}
    broken = {}
    for name, run in runs.items():
        _out, err = run.communicate(timeout=120)
        if run.returncode:
            broken[name] = err.strip().splitlines()[-1]
    assert len(packages) > 15
    assert not broken, broken
