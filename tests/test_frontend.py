"""Front-end files come from npm packages pinned by package-lock.json, or say how to get them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.frontend import VENDOR_FILES, FrontendMissingError, copy_vendor, vendor_file

ROOT = Path(__file__).resolve().parents[1]


def test_every_vendor_file_comes_from_a_locked_package() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    declared = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for relative in VENDOR_FILES.values():
        parts = relative.split("/")
        package = "/".join(parts[:2]) if relative.startswith("@") else parts[0]
        assert package in declared, f"{package} is not in package.json"
        assert lock["packages"][f"node_modules/{package}"]["version"] == declared[package]


def test_installed_files_are_found_and_copied(tmp_path: Path) -> None:
    for name in VENDOR_FILES:
        assert vendor_file(name).stat().st_size > 1000
    copied = copy_vendor(sorted(VENDOR_FILES), tmp_path)
    assert sorted(p.name for p in copied) == sorted(VENDOR_FILES)


def test_a_missing_install_says_how_to_fix_it(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_NODE_MODULES", str(tmp_path))
    with pytest.raises(FrontendMissingError, match="npm ci"):
        vendor_file(next(iter(VENDOR_FILES)))
    with pytest.raises(FrontendMissingError, match="no front-end file"):
        vendor_file("../../etc/passwd")
