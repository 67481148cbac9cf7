"""Statements with quoted evidence, written as Turtle, and the source texts that hold the quotes.

Every quote is a whole sentence appended to its source's text, so the quote check finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.namespaces import prefix_block

PREFIXES = prefix_block([
    "body", "claim", "council", "csi", "dcterms", "foaf", "initiative", "judgement", "kind",
    "oa", "org", "person", "policy", "post", "rdfs", "resp", "schema", "service", "skos",
    "src", "st", "stance", "xsd",
])

# Hand-curated files stay far below the loader's 5 MiB guard; so do these.
MAX_FILE_CHARS = 3_000_000


def literal(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


@dataclass
class Evidence:
    source: str  # the source's slug (src:<slug>, corpus id <slug>)
    sentence: str
    claim: str = "reported-fact"


@dataclass
class Corpus:
    """Turtle blocks by data file, and sentences by source text."""

    blocks: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def entity(self, file: str, iri: str, types: str, label: str, *props: str) -> None:
        body = [f"    a {types} ;", f"    rdfs:label {literal(label, 'en')} ;"]
        body += [f"    {p} ;" for p in props]
        self.blocks.setdefault(file, []).append(f"{iri}\n" + "\n".join(body) + "\n.\n")

    def statement(self, file: str, iri: str, types: str, label: str, evidence: list[Evidence],
                  *props: str) -> None:
        nodes = []
        for ev in evidence:
            self.texts.setdefault(ev.source, []).append(ev.sentence)
            nodes.append(
                "[ a csi:Evidence ; oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "
                f"{literal(ev.sentence)} ] ; oa:hasSource src:{ev.source} ; "
                f"csi:claimKind claim:{ev.claim} ]"
            )
        self.entity(file, iri, types, label, *props, "csi:evidence " + " ,\n        ".join(nodes))

    def write(self, data: Path, corpus: Path) -> None:
        """Data files (a large one split in parts) and the texts; sorted, so runs are identical."""
        data.mkdir(parents=True, exist_ok=True)
        corpus.mkdir(parents=True, exist_ok=True)
        for name, blocks in sorted(self.blocks.items()):
            parts: list[list[str]] = [[]]
            size = 0
            for block in blocks:
                if size + len(block) > MAX_FILE_CHARS and parts[-1]:
                    parts.append([])
                    size = 0
                parts[-1].append(block)
                size += len(block)
            for index, part in enumerate(parts):
                stem = name if index == 0 else f"{name}-part{index + 1}"
                (data / f"{stem}.ttl").write_text(PREFIXES + "\n" + "\n".join(part),
                                                  encoding="utf-8")
        for source, sentences in sorted(self.texts.items()):
            (corpus / f"{source}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
