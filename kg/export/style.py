"""Colours, names and figure settings shared by every picture, so they all read the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")  # files only: no display, and the same pixels on every machine

import matplotlib.pyplot as plt  # noqa: E402

if TYPE_CHECKING:
    from kg.query.citations import Citation

# Eight colour groups, told apart within a group by marker shape (18 colours could not be told
# apart: three blues, two greys, three yellows). Okabe-Ito tones, safe for colour-blind readers.
# Each class: (group, shape); shapes are named as cytoscape.js names them (see MARKERS).
CLASS_GROUPS: dict[str, tuple[str, str]] = {
    "csi:LocalAuthority": ("council and its services", "ellipse"),
    "csi:ChildrensServices": ("council and its services", "rectangle"),
    "org:OrganizationalCollaboration": ("council and its services", "diamond"),
    "csi:ChildrensServicesTrust": ("children's services trust", "ellipse"),
    "csi:GovernmentDepartment": ("government and parliament", "ellipse"),
    "org:FormalOrganization": ("government and parliament", "rectangle"),
    "csi:ParliamentaryCommittee": ("government and parliament", "triangle"),
    "csi:ReviewPanel": ("government and parliament", "diamond"),
    "csi:Inspectorate": ("inspectorate", "ellipse"),
    "csi:SectorBody": ("sector body, charity, university or company", "ellipse"),
    "csi:Charity": ("sector body, charity, university or company", "rectangle"),
    "csi:University": ("sector body, charity, university or company", "triangle"),
    "csi:Company": ("sector body, charity, university or company", "diamond"),
    "foaf:Person": ("person or post", "ellipse"),
    "org:Post": ("person or post", "rectangle"),
    "csi:Policy": ("policy", "ellipse"),
    "csi:Document": ("document or publisher", "rectangle"),
    "csi:Publisher": ("document or publisher", "ellipse"),
}
GROUP_COLOURS: dict[str, str] = {
    "council and its services": "#0072b2",
    "children's services trust": "#d55e00",
    "government and parliament": "#7f3c8d",
    "inspectorate": "#e69f00",
    "sector body, charity, university or company": "#009e73",
    "person or post": "#f0e442",
    "policy": "#cc79a7",
    "document or publisher": "#aaaaaa",
}
OTHER_CLASS = ("other", "ellipse")
# cytoscape.js shape -> matplotlib marker, so the pictures and the page draw a class alike.
MARKERS = {"ellipse": "o", "rectangle": "s", "triangle": "^", "diamond": "D", "hexagon": "h"}
# One colour per class (its group's), for files that carry a colour per node (GEXF, .cyjs).
CLASS_COLOURS: dict[str, str] = {cls: GROUP_COLOURS[group] for cls, (group, _) in
                                 CLASS_GROUPS.items()}
FALLBACK_COLOUR = "#777777"

# Stances from most to least favourable, by the notation the saved queries print, with a
# diverging palette (blue agrees, red opposes, grey: the source leaves the stance open).
STANCE_ORDER = ("supports", "conditional", "sceptical", "opposes", "unstated")
STANCE_COLOURS = {
    "supports": "#2166ac",
    "conditional": "#92c5de",
    "sceptical": "#f4a582",
    "opposes": "#b2182b",
    "unstated": "#d9d9d9",
}
# The stance scheme's preferred labels (ontology/schemes.ttl), for legends and for the entity
# graph, whose statements carry labels rather than notations. A test keeps them in step.
STANCE_LABELS = {
    "supports": "supports",
    "conditional": "supports with conditions",
    "sceptical": "sceptical or concerned",
    "opposes": "opposes",
    "unstated": "stance not stated",
}


def stance_colour(stance: str) -> str:
    """The colour of a stance given by notation (conditional) or label (supports with ...)."""
    notation = next((n for n, label in STANCE_LABELS.items() if label == stance), stance)
    return STANCE_COLOURS.get(notation, FALLBACK_COLOUR)


# The rows of a timeline: statement types (as council-timeline names them) in eight groups, in
# reading order; a type missing here falls into OTHER_GROUP. A plan is grouped as a plan whatever
# else it is, so a planned appointment never reads as an appointment made.
TIMELINE_GROUPS: dict[str, tuple[str, str]] = {
    "Plan": ("plan (not an outcome)", "#888888"),
    "InspectionJudgement": ("inspection or finding", "#e69f00"),
    "Finding": ("inspection or finding", "#e69f00"),
    "Recommendation": ("recommendation, decision or announcement", "#7f3c8d"),
    "Decision": ("recommendation, decision or announcement", "#7f3c8d"),
    "Response": ("recommendation, decision or announcement", "#7f3c8d"),
    "Announcement": ("recommendation, decision or announcement", "#7f3c8d"),
    "Intervention": ("intervention, direction or appointment", "#d62728"),
    "Direction": ("intervention, direction or appointment", "#d62728"),
    "Appointment": ("intervention, direction or appointment", "#d62728"),
    "PostHolding": ("intervention, direction or appointment", "#d62728"),
    "Responsibility": ("responsibility", "#1f77b4"),
    "Establishment": ("trust set up or handover", "#009e73"),
    "Supersession": ("trust set up or handover", "#009e73"),
    "Contract": ("contract or funding", "#8c564b"),
    "Funding": ("contract or funding", "#8c564b"),
    "Position": ("stakeholder position", "#17becf"),
}
TIMELINE_ORDER = ("inspection or finding", "recommendation, decision or announcement",
                  "intervention, direction or appointment", "plan (not an outcome)",
                  "responsibility", "trust set up or handover", "contract or funding",
                  "stakeholder position")
OTHER_GROUP = ("other", "#777777")

FONT = "DejaVu Sans"  # ships with matplotlib, so text measures the same everywhere


def class_colour(cls: str) -> str:
    return CLASS_COLOURS.get(cls, FALLBACK_COLOUR)


def class_group(cls: str) -> str:
    return CLASS_GROUPS.get(cls, OTHER_CLASS)[0]


def class_shape(cls: str) -> str:
    """The cytoscape.js shape of a class (`MARKERS` gives matplotlib's marker)."""
    return CLASS_GROUPS.get(cls, OTHER_CLASS)[1]


def class_marker(cls: str) -> str:
    return MARKERS[class_shape(cls)]


def class_order(cls: str) -> int:
    """Legend order: the order of CLASS_GROUPS (councils first), unknown classes last."""
    order = list(CLASS_GROUPS)
    return order.index(cls) if cls in order else len(order)


def setup() -> None:
    """Matplotlib settings for deterministic, legible output."""
    plt.rcParams.update({
        "font.family": FONT,
        "font.size": 10,
        "svg.hashsalt": "csikg",  # stable element ids in SVG, so outputs diff cleanly
        "svg.fonttype": "none",  # text stays text in SVG: searchable, selectable, smaller
        "axes.spines.top": False,
        "axes.spines.right": False,
    })


def save(fig: Any, stem: Path, png_dpi: int = 110) -> list[Path]:
    """Write stem.svg and stem.png without timestamps or version stamps, then close fig."""
    paths = [stem.with_suffix(".svg"), stem.with_suffix(".png")]
    fig.savefig(paths[0], format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(paths[1], format="png", dpi=png_dpi, metadata={"Software": None})
    plt.close(fig)
    return paths


def source_key(ids: Iterable[str], cited: Mapping[str, Citation]) -> list[str]:
    """'[003] publisher, date: "title"' for each source id, in id order: a picture's key, so a
    reader sees who said it and when, never a bare id. cited: `kg.query.citations` (by IRI)."""
    by_id = {c.id: c for c in cited.values()}
    return [f"[{short_source(i)}] {by_id[i].text}" if i in by_id else f"[{short_source(i)}] {i}"
            for i in sorted(set(ids))]


def short_source(source_id: str) -> str:
    """004_dd1639bb877fd76f -> 004: the number a picture prints beside a mark."""
    return source_id.split("_", 1)[0] if "_" in source_id else source_id


def add_titles(svg: Path, titles: Mapping[str, str]) -> None:
    """Give the SVG groups with these ids a <title> (the full text, shown on hover), for text
    that the picture had to shorten or could not print."""
    text = svg.read_text(encoding="utf-8")
    for gid, title in titles.items():
        opening = f'<g id="{gid}">'
        text = text.replace(opening, f"{opening}<title>{escape(title)}</title>", 1)
    svg.write_text(text, encoding="utf-8")
