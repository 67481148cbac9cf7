"""SIGKILL at any moment of a build leaves a complete, loadable build: the old one or the new one,
never a mix, never none; kg export's files survive; the next build clears what the kill left.

Two builds that differ (the registry alone, and the registry plus the reference data) alternate,
so after each kill the folder must equal one of them byte for byte. Most kills land in the
publish step itself (a forked child that only publishes, killed at a random moment of it); a few
kill the whole `kg build` command, at a random moment or just after it starts writing.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build.loading import load_published
from kg.build.pipeline import Assembled, assemble, publish
from kg.namespaces import DATA_DIR

SETS = {
    "a": ("entities.ttl",),
    "b": ("entities.ttl", "reference-local-authorities.ttl"),
}
FORKED_KILLS = 16
COMMAND_KILLS = 4
KEEP = "exports/keep.txt"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _without_exports(snapshot: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in snapshot.items() if not name.startswith("exports/")}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Assembled, dict]]:
    """Each set assembled (quote check skipped, as --skip-quote-check) and its published files."""
    found = {}
    for name, files in SETS.items():
        assembled = assemble(None, files=[DATA_DIR / f for f in files])
        out = tmp_path_factory.mktemp(f"reference-{name}") / "dist"
        publish(assembled, out)
        assert len(load_published(out)) > 0  # loadable; each survivor is compared byte for byte
        found[name] = (assembled, _snapshot(out))
    assert found["a"][1] != found["b"][1]
    return found


def _assert_whole_build(out: Path, builds: dict[str, tuple[Assembled, dict]]) -> str:
    """out holds exactly one of the builds (plus the carried-over export); returns which."""
    assert out.is_dir(), "no build at all"
    files = _snapshot(out)
    assert files.get(KEEP) == b"an export\n", "kg export's files were lost"
    which = [name for name, (_, ref) in builds.items() if _without_exports(files) == ref]
    assert which, f"a mixed or partial build: {sorted(files)}"
    return which[0]


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def _publish_and_exit(assembled: Assembled, out: Path) -> None:
    publish(assembled, out)
    os._exit(0)


def test_sigkill_during_publish_leaves_old_or_new(
    builds: dict[str, tuple[Assembled, dict]], tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    publish(builds["a"][0], out)
    (out / "exports").mkdir()
    (out / KEEP).write_text("an export\n")
    fork = multiprocessing.get_context("fork")
    # How long one publish takes here: the range the kills are spread over.
    started = time.perf_counter()
    child = fork.Process(target=_publish_and_exit, args=(builds["b"][0], out))
    child.start()
    child.join()
    span = time.perf_counter() - started
    assert _assert_whole_build(out, builds) == "b"

    rng = random.Random(8)
    seen = set()
    for attempt in range(FORKED_KILLS):
        target = "a" if attempt % 2 == 0 else "b"
        child = fork.Process(target=_publish_and_exit, args=(builds[target][0], out))
        child.start()
        time.sleep(rng.uniform(0, span * 1.2))
        if child.pid is not None:
            os.kill(child.pid, signal.SIGKILL)
        child.join()
        seen.add(_assert_whole_build(out, builds))
    assert seen  # (which builds survived depends on timing; each one was whole)

    publish(builds["a"][0], out)  # the next build clears what the kills left behind
    assert _assert_whole_build(out, builds) == "a"
    assert _leftovers(out) == []


def _command(data: Path, out: Path) -> subprocess.Popen[str]:
    kg = Path(sys.executable).parent / "kg"
    return subprocess.Popen(
        [str(kg), "build", "--data", str(data), "--skip-quote-check", "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def test_sigkill_of_kg_build_leaves_old_or_new(
    builds: dict[str, tuple[Assembled, dict]], tmp_path: Path
) -> None:
    folders = {}
    for name, files in SETS.items():
        folders[name] = tmp_path / f"data-{name}"
        folders[name].mkdir()
        for file in files:
            (folders[name] / file).write_bytes((DATA_DIR / file).read_bytes())
    out = tmp_path / "site" / "dist"
    publish(builds["a"][0], out)
    (out / "exports").mkdir()
    (out / KEEP).write_text("an export\n")

    rng = random.Random(8)
    for attempt in range(COMMAND_KILLS):
        process = _command(folders["b" if attempt % 2 == 0 else "a"], out)
        if attempt < COMMAND_KILLS // 2:
            time.sleep(rng.uniform(0.2, 4.0))  # anywhere: loading, validating or writing
        else:
            assert process.stderr is not None
            for line in process.stderr:  # just after it starts writing
                if line.startswith("... writing"):
                    time.sleep(rng.uniform(0, 0.3))
                    break
        process.send_signal(signal.SIGKILL)
        process.wait()
        if process.stderr is not None:
            process.stderr.close()
        _assert_whole_build(out, builds)

    publish(builds["b"][0], out)  # the next build clears what the kills left behind
    assert _assert_whole_build(out, builds) == "b"
    assert _leftovers(out) == []
