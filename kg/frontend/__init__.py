"""The front-end packages (npm) that kg serve and the exported pages load from this machine.

They come in through package.json and package-lock.json (`npm ci`, run by `make` and `.ci/run`),
never copied into the repository. Pages name them by a short file name (`/vendor/<name>` on the
server, `vendor/<name>` beside an exported page); this module maps the name to the installed file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kg.errors import BadInputError

# Short name -> path inside node_modules. Only these files are ever served.
VENDOR_FILES: dict[str, str] = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
}
_REPO_ROOT = Path(__file__).resolve().parents[2]
_PACKAGED = Path(__file__).resolve().parent / "vendor"  # a wheel's copy (setup.py puts it there)


class FrontendMissingError(BadInputError):
    """A front-end package is not installed."""


def node_modules() -> Path:
    """The node_modules folder: $KG_NODE_MODULES, else the one beside package.json."""
    configured = os.environ.get("KG_NODE_MODULES")
    return Path(configured) if configured else _REPO_ROOT / "node_modules"


def vendor_file(name: str) -> Path:
    """The installed file behind a short vendor name; a clear error if it is not installed."""
    if name not in VENDOR_FILES:
        raise FrontendMissingError(f"no front-end file called {name!r}")
    path = node_modules() / VENDOR_FILES[name]
    if not path.is_file() and (_PACKAGED / name).is_file():
        return _PACKAGED / name
    if not path.is_file():
        raise FrontendMissingError(
            f"{path} is missing: install the front-end packages with `npm ci` in "
            f"{_REPO_ROOT} (make does it), or point KG_NODE_MODULES at a node_modules folder")
    return path


def copy_vendor(names: list[str], folder: Path) -> list[Path]:
    """Copy the named front-end files into folder/vendor/ for a page that is opened from disk."""
    target = folder / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in names:
        destination = target / name
        shutil.copyfile(vendor_file(name), destination)
        copied.append(destination)
    return copied
