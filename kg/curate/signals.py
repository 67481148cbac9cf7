"""What a sentence mentions that a curator looks for: dates, money, judgements, stance words.

Plain regular expressions over the original text; every hit keeps its exact wording so a
snippet built from it quotes the source verbatim.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = [calendar.month_name[i] for i in range(1, 13)]
_MONTH = "|".join(MONTHS)

ABSOLUTE_DATE = re.compile(
    rf"\b(?:(\d{{1,2}}) ({_MONTH})(?: (\d{{4}}))?|({_MONTH}) (\d{{4}})"
    r"|(?<![£\d,.])((?:19|20)\d\d)\b)"
)
RELATIVE_DATE = re.compile(
    rf"\b(?:(\d{{1,2}}) ({_MONTH}) (this|next|last) year|(last|next|this) (month|year|week)"
    rf"|(yesterday|today|tomorrow)|(?:in|by|from|since|until) ({_MONTH})(?! \d)"
    r"|(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b",
    re.IGNORECASE,
)
MONEY = re.compile(r"£\s?\d[\d,.]*(?:\s?(?:m|bn|k|million|billion))?\b", re.IGNORECASE)
JUDGEMENT = re.compile(r"\b(inadequate|requires improvement|outstanding|good)\b", re.IGNORECASE)
STANCE = re.compile(
    r"\b(warn(?:ed|s)?|welcom(?:ed|es)|criticis(?:ed|es)|back(?:ed|s)|oppos(?:ed|es)|support(?:ed|s)?"
    r"|accept(?:ed|s)|reject(?:ed|s)|urg(?:ed|es)|call(?:ed|s) for|concern(?:s|ed)?"
    r"|believ(?:e|es|ed)|argu(?:ed|es)|said|says|told|claim(?:ed|s)|alleg(?:ed|es|ation))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hit:
    kind: str  # date, relative-date, money, judgement, stance
    text: str  # as written in the source
    note: str = ""  # a resolution ("last month -> 2018-02") or a reading


def _month_shift(day: dt.date, months: int) -> str:
    index = day.year * 12 + day.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def resolve(match: re.Match[str], on: dt.date | None) -> str:
    """What a relative date means, read against the source's stated date (shown, never
    written into the graph by itself)."""
    if on is None:
        return "unresolved: the source states no date of its own"
    text = match.group(0).lower()
    against = f" (read against the article's date {on.isoformat()})"
    if match.group(1):  # "1 April this year"
        shift = {"this": 0, "next": 1, "last": -1}[match.group(3).lower()]
        month = MONTHS.index(match.group(2).capitalize()) + 1
        return f"{on.year + shift:04d}-{month:02d}-{int(match.group(1)):02d}{against}"
    if match.group(4):
        shift = {"last": -1, "next": 1, "this": 0}[match.group(4).lower()]
        unit = match.group(5).lower()
        if unit == "month":
            return f"{_month_shift(on, shift)}{against}"
        if unit == "year":
            return f"{on.year + shift:04d}{against}"
        return f"the week of {(on + dt.timedelta(weeks=shift)).isoformat()}{against}"
    if match.group(6):
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[text]
        return f"{(on + dt.timedelta(days=shift)).isoformat()}{against}"
    if match.group(7):  # "in April": this year's April unless later than the article
        month = MONTHS.index(match.group(7).capitalize()) + 1
        return f"{on.year:04d}-{month:02d} or a year either side: tense decides{against}"
    return f"the {match.group(8)} nearest {on.isoformat()}: tense decides"


def signals(sentence: str, on: dt.date | None) -> list[Hit]:
    """Every signal in sentence, in reading order of kind."""
    hits: list[Hit] = []
    relative_spans = []
    for match in RELATIVE_DATE.finditer(sentence):
        relative_spans.append(match.span())
        hits.append(Hit("relative-date", match.group(0), resolve(match, on)))
    for match in ABSOLUTE_DATE.finditer(sentence):
        if any(s <= match.start() < e for s, e in relative_spans):
            continue
        hits.append(Hit("date", match.group(0), _precision(match)))
    hits += [Hit("money", m.group(0)) for m in MONEY.finditer(sentence)]
    judgements = [m.group(0) for m in JUDGEMENT.finditer(sentence)]
    # "good" is a judgement only next to Ofsted words, else it is ordinary English.
    inspecting = re.search(r"Ofsted|rated|inspect|judg", sentence, re.IGNORECASE)
    hits += [Hit("judgement", j) for j in judgements if j.lower() != "good" or inspecting]
    hits += [Hit("stance", m.group(0)) for m in STANCE.finditer(sentence)]
    return hits


def _precision(match: re.Match[str]) -> str:
    if match.group(1) and match.group(3):
        return "day (xsd:date)"
    if match.group(1):
        return "day without a year: keep csi:dateAsStated"
    if match.group(4):
        return "month (xsd:gYearMonth)"
    return "year (xsd:gYear)"
