"""`kg curate SOURCE`: a review file of candidate statements, one section per sentence.

The file (curation/<id>.candidates.md) is the curator's worksheet: never loaded by the build,
never published. Each section shows a sentence, what it mentions and a suggested pattern with a
Turtle snippet whose quote is the sentence exactly as the source has it. A curator marks a
section `status: done` or `status: skip`; re-running keeps every existing section as edited and
only appends sentences not yet listed, so no edit is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pysbd
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from kg.build.loading import REGISTRY, parse_turtle
from kg.build.quotes import fold
from kg.curate.entities import Mention, Registry, unknown_names
from kg.curate.signals import Hit, signals
from kg.namespaces import CSI, OA

SECTION = re.compile(r"^## (c\d+) · chars (\d+)-(\d+) · status: (\w+)", re.MULTILINE)
SUFFIX = ".candidates.md"


@dataclass
class Candidate:
    start: int
    end: int
    sentence: str  # folded: what oa:exact holds
    known: list[Mention] = field(default_factory=list)
    unknown: list[Mention] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    pattern: str = ""
    claim: str = ""
    also: list[str] = field(default_factory=list)  # other patterns the words fit

    @property
    def flagged(self) -> bool:
        return bool(self.known or self.unknown or self.hits or self.pattern)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of text: paragraphs (blank-line or line separated, as scraped pages
    are) split with pysbd, mapped back to the original offsets."""
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        if not paragraph.group(0).strip():
            continue
        for piece in segmenter.segment(paragraph.group(0)):
            start = paragraph.start() + piece.start
            end = paragraph.start() + piece.end
            while end > start and text[end - 1].isspace():
                end -= 1
            while start < end and text[start].isspace():
                start += 1
            if end > start:
                spans.append((start, end))
    return spans


# (pattern, claim kind, trigger): the first that matches a sentence is suggested.
PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    ("csi:Plan", "plan", re.compile(
        r"\b(will|plans?|planned|should|to be|is to|are to|intends?|expected to|proposed)\b",
        re.I)),
    ("csi:InspectionJudgement", "reported-fact", re.compile(
        r"\b(inadequate|requires improvement|outstanding)\b.*|\b(rated|judged)\b", re.I)),
    ("csi:Responsibility", "reported-fact", re.compile(r"\bresponsib\w+", re.I)),
    ("csi:Appointment", "reported-fact", re.compile(r"\bappoint(ed|s|ment)?\b", re.I)),
    ("csi:Direction", "official-statement", re.compile(r"\bdirect(ed|ion|s)?\b", re.I)),
    ("csi:Recommendation", "reported-fact", re.compile(r"\brecommend(ed|s|ation)?\b", re.I)),
    ("csi:Funding", "reported-fact", re.compile(r"£")),
    ("csi:Establishment", "reported-fact", re.compile(
        r"\b(set up|established|launched|created)\b.*\btrust\b|\btrust\b.*\b(set up|established|"
        r"launched|created|began operating|goes live|went live|took over|has taken over)\b", re.I)),
    ("csi:Responsibility", "reported-fact",
     re.compile(r"\b(responsib\w+|run(s|ning)?|oversee\w*)\b", re.I)),
    ("csi:Position", "opinion", re.compile(
        r"\b(warn\w*|welcom\w*|criticis\w*|said|says|argu\w*|believ\w*|urg\w*|call(ed|s) for"
        r"|accept\w*|reject\w*)\b", re.I)),
    ("csi:PostHolding", "reported-fact", re.compile(
        r"\b(chief executive|director|chair(man|woman)?|president|commissioner|minister"
        r"|secretary)\b", re.I)),
]
ALLEGED = re.compile(r"\ballege\w*\b", re.I)

# What each pattern needs besides the label and evidence (ontology/README.md, by number).
SLOTS = {
    "csi:Plan": ["csi:agent TODO ;", "csi:authority council:TODO ;",
                 'csi:plannedDate "TODO"^^xsd:gYearMonth ;'],
    "csi:InspectionJudgement": ["csi:services service:TODO ;", "csi:authority council:TODO ;",
                                "csi:inspectedBy body:ofsted ;", "csi:judgement judgement:TODO ;",
                                'csi:date "TODO"^^xsd:gYearMonth ;'],
    "csi:Appointment": ["csi:appointee person:TODO ;", "csi:post post:TODO ;",
                        "csi:appointedBy TODO ;", "csi:authority council:TODO ;",
                        'csi:date "TODO"^^xsd:date ;'],
    "csi:Direction": ["csi:issuedBy TODO ;", "csi:directedTo council:TODO ;",
                      'csi:requirement "TODO" ;'],
    "csi:Recommendation": ["csi:recommendedBy TODO ;", "csi:authority council:TODO ;",
                           "csi:interventionKind kind:TODO ;"],
    "csi:Funding": ['csi:amount "TODO"^^xsd:decimal ;', 'schema:currency "GBP" ;',
                    "csi:agent TODO ;", "csi:party TODO ;"],
    "csi:Establishment": ["org:resultingOrganization body:TODO ;",
                          "org:originalOrganization council:TODO ;",
                          "csi:authority council:TODO ;"],
    "csi:Responsibility": ["csi:holder TODO ;", "csi:services service:TODO ;",
                           "csi:authority council:TODO ;", "csi:responsibilityKind resp:TODO ;"],
    "csi:Position": ["csi:speaker TODO ;", "csi:stance stance:unstated ;  # unless the words say",
                     "csi:caseOf council:TODO ;  # or csi:topic policy:TODO"],
    "csi:PostHolding": ["csi:holder person:TODO ;", "csi:post post:TODO ;"],
}


def suggest(sentence: str) -> tuple[str, str, list[str]]:
    """(pattern, claim kind, other patterns that fit) from the wording; a suggestion only."""
    fits = list(dict.fromkeys(p for p, _, trigger in PATTERNS if trigger.search(sentence)))
    for pattern, claim, trigger in PATTERNS:
        if trigger.search(sentence):
            kind = "allegation" if ALLEGED.search(sentence) else claim
            return pattern, kind, [p for p in fits if p != pattern]
    return "", "", []


def _literal(text: str) -> str:
    return Literal(text).n3()


def snippet(source_id: str, candidate: Candidate, number: int) -> str:
    """A ready-to-edit statement node; its quote is the sentence verbatim (folded as the quote
    check folds), so it passes the quote check until the curator shortens it."""
    pattern = candidate.pattern or "csi:Statement"
    slots = list(SLOTS.get(candidate.pattern, []))
    dated = [h for h in candidate.hits if h.kind in ("date", "relative-date")]
    if dated and candidate.pattern and not any("Date" in s or "csi:date" in s for s in slots):
        slots.append('csi:date "TODO"^^xsd:date ;')
    if dated:  # say which words the date comes from, and how a relative one was read
        slots = [f"{s}  # {dated[0].text!r}: {dated[0].note}" if "TODO\"^^xsd" in s else s
                 for s in slots]
    by_kind = {m.kind: m.iri for m in candidate.known}
    filled = []
    for slot in slots:
        for prefix, kind in (("council:", "council"), ("person:", "person"),
                             ("service:", "service"), ("post:", "post")):
            if f"{prefix}TODO" in slot and by_kind.get(kind):
                slot = slot.replace(f"{prefix}TODO", by_kind[kind])
        judged = [h.text.lower().replace(" ", "-") for h in candidate.hits
                  if h.kind == "judgement"]
        if "judgement:TODO" in slot and len(set(judged)) == 1:
            slot = slot.replace("judgement:TODO", f"judgement:{judged[0]}")
        filled.append(slot)
    lines = [
        f"st:{source_id[:3]}-candidate-{number:03d} a {pattern} ;"
        + ("" if candidate.pattern else "  # TODO: choose the pattern (docs/curating.md)"),
        '    rdfs:label "TODO: what the source asserts, in its words"@en ;',
        *(f"    {slot}" for slot in filled),
        "    csi:evidence [",
        "        a csi:Evidence ;",
        "        oa:hasSelector [ a oa:TextQuoteSelector ;",
        f"                         oa:exact {_literal(candidate.sentence)} ] ;",
        f"        oa:hasSource src:{source_id} ;",
        f"        csi:claimKind claim:{candidate.claim or 'reported-fact'} ;",
        "    ] .",
    ]
    return "\n".join(lines)


def source_date(registry: Graph, source_id: str) -> dt.date | None:
    for node in registry.subjects(CSI.corpusId, Literal(source_id)):
        value = registry.value(node, DCTERMS.date)
        if value is not None:
            return dt.date.fromisoformat(str(value))
    return None


def extract(text: str, registry: Graph, source_id: str) -> list[Candidate]:
    """Every sentence of text with what it mentions; unflagged sentences included (flagged
    False) so a caller can measure recall."""
    names = Registry(registry)
    on = source_date(registry, source_id)
    found = []
    all_known: list[list[Mention]] = []
    for start, end in sentences(text):
        original = text[start:end]
        known, spans = names.mentions(original)
        candidate = Candidate(start, end, fold(original), known, unknown_names(original, spans),
                              signals(original, on))
        candidate.pattern, candidate.claim, candidate.also = suggest(original)
        found.append(candidate)
        all_known.append(known)
    _resolve_references(found, text)
    return found


def _resolve_references(found: list[Candidate], text: str) -> None:
    """ "the council" / "the trust" name an entity only where the article names one only."""
    for kind, phrase, test in (("council", "the council", lambda m: m.kind == "council"),
                               ("organisation", "the trust", lambda m: "trust" in m.iri)):
        named = {m.iri for c in found for m in c.known if test(m)}
        if len(named) != 1:
            continue
        iri = next(iter(named))
        for candidate in found:
            mentioned = any(m.iri == iri for m in candidate.known)
            if phrase in candidate.sentence.lower() and not mentioned:
                candidate.known.append(Mention(phrase, iri, kind))


def render(source_id: str, candidate: Candidate, number: int) -> str:
    lines = [f"## c{number:03d} · chars {candidate.start}-{candidate.end} · status: pending", "",
             f"> {candidate.sentence}", ""]
    if candidate.known:
        lines.append("- known: " + "; ".join(f"{m.text} ({m.iri})" for m in candidate.known))
    if candidate.unknown:
        lines.append("- not in the registry: " + "; ".join(
            f"{m.text} ({m.kind})" for m in candidate.unknown))
    for kind in ("date", "relative-date", "money", "judgement", "stance"):
        hits = [h for h in candidate.hits if h.kind == kind]
        if hits:
            lines.append(f"- {kind}: " + "; ".join(
                f'"{h.text}"' + (f" -> {h.note}" if h.note else "") for h in hits))
    if candidate.pattern:
        lines.append(f"- suggested: {candidate.pattern}, claim kind {candidate.claim} "
                     "(docs/curating.md, wording table)")
        if candidate.also:
            lines.append(f"- also fits: {', '.join(candidate.also)}")
    lines += ["", "```turtle", snippet(source_id, candidate, number), "```", ""]
    return "\n".join(lines)


def write(source_id: str, text: str, data_dir: Path, out_dir: Path, title: str = "") -> tuple[
        Path, int, int]:
    """Write or extend out_dir/<id>.candidates.md; (path, sections added, sections kept)."""
    registry = parse_turtle(data_dir / REGISTRY)
    candidates = [c for c in extract(text, registry, source_id) if c.flagged]
    path = out_dir / f"{source_id}{SUFFIX}"
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    listed = {(int(m.group(2)), int(m.group(3))) for m in SECTION.finditer(existing)}
    numbers = [int(m.group(1)[1:]) for m in SECTION.finditer(existing)]
    number = max(numbers, default=0)
    on = source_date(registry, source_id)
    if not existing:
        stated = f"{on.isoformat()} (stated in the text)" if on else "not stated in the text"
        existing = (
            f"# Candidates for {source_id}{': ' + title if title else ''}\n\n"
            "Written by `kg curate`; never loaded by the build, never published. For each\n"
            f"section: write the statement into kg/data/{source_id}.ttl (shorten the quote to\n"
            "the words that "
            "support it; `kg quote find` checks it), then set `status: done`, or `status: skip`.\n"
            "Re-running `kg curate` keeps this file as edited and appends new sentences only.\n\n"
            f"The article's date: {stated}; relative dates below are read against it.\n\n"
        )
    added = []
    for candidate in candidates:
        if (candidate.start, candidate.end) in listed:
            continue
        number += 1
        added.append(render(source_id, candidate, number))
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(existing.rstrip("\n") + "\n\n" + "\n".join(added) if added else existing,
                    encoding="utf-8")
    return path, len(added), len(listed)


def registry_quotes(data_dir: Path, source_id: str) -> list[str]:
    """The quotes of the source's own entry in the registry (byline, dateline, publisher)."""
    registry = data_dir / REGISTRY
    if not registry.is_file():
        return []
    graph = parse_turtle(registry)
    return [
        fold(str(quote))
        for source in graph.subjects(CSI.corpusId, Literal(source_id))
        for evidence in graph.subjects(OA.hasSource, source)
        for selector in graph.objects(evidence, OA.hasSelector)
        for quote in graph.objects(selector, OA.exact)
    ]


def pending(out_dir: Path, data_dir: Path) -> dict[str, tuple[int, int]]:
    """source id -> (pending, all) candidates; a section whose sentence already holds a quote
    of the source's data file counts as done even if its status was not updated."""
    counts: dict[str, tuple[int, int]] = {}
    if not out_dir.is_dir():
        return counts
    for path in sorted(out_dir.glob(f"*{SUFFIX}")):
        source_id = path.name[: -len(SUFFIX)]
        data = data_dir / f"{source_id}.ttl"
        quotes = ([fold(str(q)) for q in parse_turtle(data).objects(None, OA.exact)]
                  if data.is_file() else [])
        quotes += registry_quotes(data_dir, source_id)  # the byline and dateline
        text = path.read_text(encoding="utf-8")
        sections = list(SECTION.finditer(text))
        waiting = 0
        for n, match in enumerate(sections):
            if match.group(4) != "pending":
                continue
            body_end = sections[n + 1].start() if n + 1 < len(sections) else len(text)
            quoted = re.search(r"^> (.*)$", text[match.end() : body_end], re.MULTILINE)
            sentence = quoted.group(1) if quoted else ""
            if not any(q and q in sentence for q in quotes):
                waiting += 1
        counts[source_id] = (waiting, len(sections))
    return counts


def recall(text: str, registry: Graph, source_id: str, quotes: list[str]) -> tuple[int, int]:
    """(quotes inside a flagged sentence, quotes found in the text): how many curated quotes
    `kg curate` would have put in front of the curator."""
    from kg.curate.textmap import FoldedText

    flagged = [(c.start, c.end) for c in extract(text, registry, source_id) if c.flagged]
    folded = FoldedText.of(text)
    hit = total = 0
    for quote in quotes:
        spans = folded.find_all(quote)
        if not spans:
            continue
        total += 1
        if any(s < fe and e > fs for s, e in spans for fs, fe in flagged):
            hit += 1
    return hit, total
