"""setuptools hook (pyproject.toml [tool.setuptools.cmdclass]): bundles built at install time.

`pip install .` and `pip install -e .` run `npm ci` (htmx from package-lock.json) and
`portal build` into portal/static/dist/, so both the README's `portal demo` and a server
started from an installed package find the manifest. A wheel carries the built bundles and
htmx's file (static/vendor/), from which `portal build` can rebuild without npm.
"""

import importlib.util
import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _bundler():
    # By path: importing the `portal` package would need Flask, not installed yet here.
    spec = importlib.util.spec_from_file_location("_portal_bundler", ROOT / "portal" / "bundler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPyWithBundles(build_py):
    def run(self):
        bundler = _bundler()
        bundler.install_node_packages(ROOT)
        bundler.build(bundler.DEFAULT_OUT)
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install serves the source tree, where the build just went
        # Built after setuptools listed the package data: copy them into the wheel ourselves.
        for folder in ("dist", "vendor"):
            target = Path(self.build_lib) / "portal" / "static" / folder
            shutil.copytree(bundler.STATIC_DIR / folder, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".*"))
