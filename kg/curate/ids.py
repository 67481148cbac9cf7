"""The source-id rule: NNN_ + the first 16 hex digits of the SHA-256 of the text.

NNN is one more than the highest number in the corpus folder, zero-padded to three digits. The
suffix is a checksum of the exact bytes, so the same text always gets the same suffix. The first
five sources keep the ids they were collected under (their suffix is not a hash).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

SOURCE_ID = re.compile(r"^(\d{3})_([0-9a-f]{16})$")


def sha256(data: bytes) -> str:
    """The SHA-256 of data, as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def next_number(corpus: Path) -> int:
    """One more than the highest NNN_ among the corpus texts (0 for an empty corpus)."""
    numbers = [
        int(found.group(1)) for p in corpus.glob("*.txt") if (found := SOURCE_ID.match(p.stem))
    ]
    return max(numbers, default=-1) + 1


def make_id(number: int, data: bytes) -> str:
    """The id of a text.

    >>> make_id(5, b"A new article.\\n")
    '005_b3e26162ac342739'
    """
    return f"{number:03d}_{sha256(data)[:16]}"


def is_source_id(name: str) -> bool:
    """Whether name follows the NNN_<16 hex> form of a corpus article id."""
    return SOURCE_ID.match(name) is not None
