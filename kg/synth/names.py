"""Deterministic names: places for councils, people, and GSS-like codes."""

from __future__ import annotations

import random

_HEADS = ("Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Glen", "Hart", "Ivy", "Kings", "Lang", "Mar",
          "Nor", "Oak", "Pen", "Red", "Stan", "Thorn", "Up", "Wes", "York", "Bar", "Chal", "Hol")
_TAILS = ("ford", "bury", "ton", "wick", "field", "ham", "ley", "mouth", "stead", "worth", "brook",
          "caster", "dale", "minster", "port", "borough")
_GIVEN = ("Alex", "Sam", "Jo", "Chris", "Pat", "Morgan", "Robin", "Kim", "Lee", "Jordan", "Ali",
          "Ruth", "Omar", "Priya", "Grace", "Tom", "Nadia", "Owen", "Leah", "Ravi")
_FAMILY = ("Ashby", "Begum", "Clarke", "Doyle", "Evans", "Fraser", "Gill", "Hughes", "Iqbal",
           "Jones", "Khan", "Lowe", "Mensah", "Nolan", "Okafor", "Patel", "Quinn", "Reid",
           "Shaw", "Turner", "Walsh", "Young")
# GSS entity codes of English councils: unitary, metropolitan, London borough, county.
_GSS_KINDS = (("E06", "unitary authority"), ("E08", "metropolitan district"),
              ("E09", "London borough"), ("E10", "county"))


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def place_names(count: int, rng: random.Random) -> list[str]:
    """count distinct place names; past the combinations, a number tells them apart."""
    pairs = [h + t for h in _HEADS for t in _TAILS]
    rng.shuffle(pairs)
    return [pairs[i % len(pairs)] + (f" {i // len(pairs) + 1}" if i >= len(pairs) else "")
            for i in range(count)]


def gss_code(index: int) -> tuple[str, str]:
    """A GSS-like code (E08000017) and the kind of council it marks."""
    prefix, kind = _GSS_KINDS[index % len(_GSS_KINDS)]
    return f"{prefix}{index // len(_GSS_KINDS) + 1:06d}", kind


class People:
    """Person names that are never given twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set[str]()

    def new(self) -> str:
        given, family = self.rng.choice(_GIVEN), self.rng.choice(_FAMILY)
        name, n = f"{given} {family}", 0
        while name in self.used:  # a middle initial, then a number, tells namesakes apart
            n += 1
            initial = "ABCDEFGHJKLMNPRSTW"[n % 18]
            name = f"{given} {initial}. {family}" + (f" {n // 18}" if n >= 18 else "")
        self.used.add(name)
        return name
