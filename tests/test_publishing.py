"""Where a build may be published, the swap, and what a build keeps and clears around it."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from kg.build.pipeline import OUTPUT_FILES, Assembled, assemble, publish
from kg.build.publishing import OutputError, Staging, is_build
from kg.build.swap import exchange
from kg.namespaces import DATA_DIR


@pytest.fixture(scope="module")
def small() -> Assembled:
    return assemble(None, files=[DATA_DIR / "entities.ttl"])


def test_a_build_is_marked_as_ours(small: Assembled, tmp_path: Path) -> None:
    publish(small, tmp_path / "dist")
    info = json.loads((tmp_path / "dist" / "build-info.json").read_text())
    assert info["generator"] == "csikg"
    assert info["quote_check"].startswith("skipped on request (--skip-quote-check)")
    assert is_build(tmp_path / "dist")


def test_a_build_from_before_the_marker_is_still_recognised(tmp_path: Path) -> None:
    (tmp_path / "build-info.json").write_text(
        json.dumps({"version": "0.1.0", "triples": 1, "named_graphs": []}))
    assert is_build(tmp_path)
    (tmp_path / "build-info.json").write_text('{"name": "a web site"}')
    assert not is_build(tmp_path)


def test_an_empty_folder_is_replaced(small: Assembled, tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    publish(small, tmp_path / "dist")
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == sorted(OUTPUT_FILES)
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]


def test_exports_survive_a_rebuild(small: Assembled, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    publish(small, out)
    (out / "exports").mkdir()
    (out / "exports" / "graph.html").write_text("<p>an export</p>")
    publish(small, out)
    assert (out / "exports" / "graph.html").read_text() == "<p>an export</p>"


def test_the_swap_replaces_the_folder_in_one_step(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a").write_text("old")
    (new / "a").write_text("new")
    assert exchange(new, old)  # this system has renameat2(RENAME_EXCHANGE)
    assert (old / "a").read_text() == "new" and (new / "a").read_text() == "old"


def test_a_killed_builds_staging_folder_is_cleared(small: Assembled, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    publish(small, out)
    left = tmp_path / ".dist.staging-999999"  # a build killed before it could clean up
    left.mkdir()
    (left / "kg.trig").write_text("half a build")
    publish(small, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_running_builds_staging_folder_is_left_alone(small: Assembled, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    publish(small, out)
    busy = tmp_path / ".dist.staging-1"
    busy.mkdir()
    fd = os.open(busy, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a live build holds it
    try:
        publish(small, out)
        assert busy.is_dir()
    finally:
        os.close(fd)


def test_a_crash_between_two_renames_is_repaired(small: Assembled, tmp_path: Path) -> None:
    """The old publish renamed dist away, then the new build in: a crash between the two left
    no dist/. The next build puts the set-aside build back before it checks anything."""
    out = tmp_path / "dist"
    publish(small, out)
    out.rename(tmp_path / ".dist.retired-4242")
    staging = Staging(out, OUTPUT_FILES)
    try:
        assert is_build(out)  # restored at once, before this build publishes anything
    finally:
        staging.abandon()
    publish(small, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_out_is_checked_before_anything_is_written(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds no build"):
        Staging(mine, OUTPUT_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_a_refused_build_leaves_no_folders_behind(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import main

    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "new" / "deep" / "dist"),
                                       "--corpus", str(tmp_path / "no-corpus")])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
