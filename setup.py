"""Copies the front-end files (kg.frontend.VENDOR_FILES) from node_modules into a built wheel.

Everything else is declared in pyproject.toml. An editable install reads node_modules in place;
a wheel carries its own copy under kg/frontend/vendor/, so `pip install csikg-*.whl` serves the
workbench and the graph view offline. The copy is a build output, never committed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithFrontend(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        sys.path.insert(0, str(ROOT))
        from kg.frontend import VENDOR_FILES, node_modules

        target = Path(self.build_lib) / "kg" / "frontend" / "vendor"
        target.mkdir(parents=True, exist_ok=True)
        for name, relative in VENDOR_FILES.items():
            source = node_modules() / relative
            if not source.is_file():
                raise SystemExit(f"{source} is missing: run `npm ci` before building the wheel")
            shutil.copyfile(source, target / name)


setup(cmdclass={"build_py": BuildWithFrontend})
