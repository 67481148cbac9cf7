"""Swap two folders in one step, so a reader of either path never finds it missing or half-made.

rename(2) cannot replace a non-empty folder, and renaming the old folder away and then the new
one in leaves a moment (and, after a crash there, a state) with no folder at all. Linux's
renameat2(RENAME_EXCHANGE) swaps the two names atomically, on ext4, xfs, btrfs, tmpfs and
overlayfs alike. It has no wrapper in Python's os module, so it is called through libc.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
# The errors that mean "this system or file system cannot do it", as opposed to a real failure.
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


def _renameat2() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2  # glibc 2.28+, musl 1.2.2+
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def _call(source: Path, target: Path, flags: int) -> bool:
    """True when done; False when the system cannot do it; OSError on a real failure."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(  # type: ignore[operator]
        _AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(source), None, str(target))


def exchange(first: Path, second: Path) -> bool:
    """Swap the names of two existing folders in one atomic step; False if unsupported here."""
    return _call(first, second, _RENAME_EXCHANGE)


def move_into_place(source: Path, target: Path) -> None:
    """Rename source to target, which must not exist (never silently over an empty folder)."""
    if not _call(source, target, _RENAME_NOREPLACE):
        if target.exists():
            raise FileExistsError(errno.EEXIST, "already exists", str(target))
        os.rename(source, target)
