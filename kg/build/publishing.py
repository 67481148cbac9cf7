"""Where a build is published, and how: the output folder's guard and the atomic swap.

The folder given as --out is only ever replaced when it does not exist, is empty, or holds a
previous build (its build-info.json says "generator": "csikg"; builds from before that marker are
recognised by their keys). Anything else is refused before any loading or validation starts.

A build is written into a staging folder next to OUT (.OUT.staging-PID), locked while the build
runs; kg export's OUT/exports is carried over into it; then staging and OUT swap names in one
atomic step (kg.build.swap), and the old build is removed. At every instant OUT is the whole
old build or the whole new one. A staging folder left by a killed build is unlocked, so the next
build removes it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from kg.build.swap import exchange, move_into_place
from kg.errors import BadInputError

GENERATOR = "csikg"
BUILD_INFO = "build-info.json"
CARRIED_OVER = ("exports",)  # written into a build by others (kg export), kept across builds
_LEGACY_KEYS = {"version", "triples", "named_graphs"}


class OutputError(BadInputError):
    """An --out folder that may not or cannot be written."""


def is_build(folder: Path) -> bool:
    """True when folder's build-info.json was written by kg build."""
    try:
        info = json.loads((folder / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(info, dict):
        return False
    return info.get("generator") == GENERATOR or _LEGACY_KEYS <= info.keys()


def _why_not_replaceable(out: Path, outputs: Iterable[str]) -> str | None:
    """None when out may be replaced by a build, else the reason in a few words."""
    if not out.exists():
        return None
    if not out.is_dir():
        return "is a file, not a folder"
    try:
        entries = sorted(p.name for p in out.iterdir())
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if not entries:
        return None
    if not is_build(out):
        shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
        return (f"is not empty and holds no build (no {BUILD_INFO} written by kg build); it "
                f"holds {shown}")
    foreign = [name for name in entries if name not in {*outputs, *CARRIED_OVER}]
    if foreign:
        return (f"holds a build but also files kg build does not write: {', '.join(foreign[:5])}"
                "; move them away first")
    return None


def check_out(out: Path, outputs: Iterable[str]) -> Path:
    """The resolved output folder, or OutputError saying why it may not be written."""
    outputs = tuple(outputs)
    target = out.resolve()
    reason = _why_not_replaceable(target, outputs)
    if reason:
        raise OutputError(f"--out {out} {reason}; refusing to replace it")
    for parent in [target.parent, *target.parent.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"--out {out}: {parent} is a file, not a folder")
            break
    return target


def _leftovers(out: Path, kind: str) -> list[Path]:
    try:
        return sorted(out.parent.glob(f".{out.name}.{kind}-*"))
    except OSError:
        return []


def _try_lock(folder: Path) -> int | None:
    """An fd holding an exclusive lock on folder, or None if a live build holds it."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _recover(out: Path) -> None:
    """Undo a crash of the older two-rename publish (or of the fallback below): when out is
    missing and a retired build sits next to it, put that build back first."""
    retired = [p for p in _leftovers(out, "retired") if is_build(p)]
    if not out.exists() and retired:
        os.rename(retired[-1], out)


def _clean(out: Path) -> None:
    """Remove staging folders of builds that no longer run (unlocked), and retired builds."""
    for folder in _leftovers(out, "staging"):
        fd = _try_lock(folder)
        if fd is not None:
            shutil.rmtree(folder, ignore_errors=True)
            os.close(fd)
    if out.exists():
        for folder in _leftovers(out, "retired"):
            shutil.rmtree(folder, ignore_errors=True)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a folder by hard links where the file system allows (cheap), else by copying."""

    def link_or_copy(src: str, dst: str) -> object:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
        return dst

    shutil.copytree(source, target, copy_function=link_or_copy)


def _fsync_tree(folder: Path) -> None:
    """Flush the new build to disk before it is swapped in, so even a power cut cannot leave
    OUT naming a folder of empty files."""
    for path in [*folder.rglob("*"), folder]:
        if path.is_file() or path.is_dir():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


class Staging:
    """A locked staging folder next to out; commit() swaps it in, abandon() removes it."""

    def __init__(self, out: Path, outputs: Iterable[str]) -> None:
        self.outputs = tuple(outputs)
        self.out = check_out(out, self.outputs)
        self.given = out
        self.committed = False
        # Folders made for --out's parent; removed again if this build publishes nothing.
        self.made = [p for p in [self.out.parent, *self.out.parent.parents] if not p.exists()]
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            _recover(self.out)
            self.out = check_out(out, self.outputs)  # the recovered build, if any, is checked
            _clean(self.out)
            self.path = self._make()
        except OSError as error:
            where = error.filename or self.out.parent
            raise OutputError(
                f"--out {out}: cannot write there ({where}: {error.strerror or error})"
            ) from None

    def _make(self) -> Path:
        for attempt in range(100):
            suffix = f"{os.getpid()}" + (f"-{attempt}" if attempt else "")
            path = self.out.parent / f".{self.out.name}.staging-{suffix}"
            try:
                path.mkdir()
            except FileExistsError:
                continue
            fd = _try_lock(path)
            if fd is None:
                raise OSError(f"cannot lock {path}")
            self._fd = fd
            return path
        raise OSError(f"cannot make a staging folder next to {self.out}")

    def commit(self) -> None:
        """Carry over exports, then put the staged build in place of out in one step."""
        check_out(self.given, self.outputs)  # out may have changed while we validated
        for name in CARRIED_OVER:
            if (self.out / name).is_dir() and not (self.path / name).exists():
                _copy_tree(self.out / name, self.path / name)
        _fsync_tree(self.path)
        if not self.out.exists():
            move_into_place(self.path, self.out)
        elif not exchange(self.path, self.out):
            # No atomic exchange on this system: two renames, which the next build's _recover
            # completes if a crash falls between them.
            retired = self.out.parent / f".{self.out.name}.retired-{os.getpid()}"
            os.rename(self.out, retired)
            os.rename(self.path, self.out)
            self.path = retired
        self.committed = True
        self.abandon()  # the staging path now holds the old build

    def abandon(self) -> None:
        """Remove the staging folder (and, if nothing was published, the folders made for it)."""
        shutil.rmtree(self.path, ignore_errors=True)
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)
            self._fd = None  # type: ignore[assignment]
        if not self.committed:
            for folder in self.made:
                try:
                    folder.rmdir()  # only while empty: anything else put there stays
                except OSError:
                    break
            self.made = []
