"""Colours, names and figure settings shared by every picture, so they all read the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display, and the same pixels on every machine

import matplotlib.pyplot as plt  # noqa: E402

# One colour per entity class (Okabe-Ito and Tableau tones that stay apart for colour-blind
# readers where it matters most: councils, services, trusts and government).
CLASS_COLOURS: dict[str, str] = {
    "csi:LocalAuthority": "#1f77b4",
    "csi:ChildrensServices": "#56b4e9",
    "csi:ChildrensServicesTrust": "#d55e00",
    "csi:GovernmentDepartment": "#7f3c8d",
    "org:FormalOrganization": "#a77ebf",
    "csi:Inspectorate": "#e69f00",
    "csi:ParliamentaryCommittee": "#8c564b",
    "csi:SectorBody": "#009e73",
    "csi:Charity": "#66a61e",
    "csi:University": "#17becf",
    "csi:Company": "#bcbd22",
    "csi:Publisher": "#aaaaaa",
    "csi:ReviewPanel": "#cc79a7",
    "org:OrganizationalCollaboration": "#9ecae1",
    "foaf:Person": "#f0c808",
    "org:Post": "#f4a582",
    "csi:Document": "#bdbdbd",
    "csi:Policy": "#e7298a",
}
FALLBACK_COLOUR = "#777777"

# Stances from most to least favourable, with a diverging palette (blue agrees, red opposes).
STANCE_ORDER = ("supports", "supports with conditions", "sceptical or concerned", "opposes")
STANCE_COLOURS = {
    "supports": "#2166ac",
    "supports with conditions": "#92c5de",
    "sceptical or concerned": "#f4a582",
    "opposes": "#b2182b",
}

# Statement classes grouped into the rows of a timeline, in reading order.
TIMELINE_GROUPS: dict[str, tuple[str, str]] = {
    "csi:InspectionJudgement": ("inspection judgement", "#e69f00"),
    "csi:Finding": ("finding", "#f0c808"),
    "csi:Recommendation": ("recommendation", "#cc79a7"),
    "csi:Decision": ("decision", "#7f3c8d"),
    "csi:Response": ("response", "#a77ebf"),
    "csi:Announcement": ("announcement", "#9467bd"),
    "csi:Intervention": ("intervention", "#d62728"),
    "csi:Direction": ("statutory direction", "#b2182b"),
    "csi:Plan": ("plan", "#888888"),
    "csi:Appointment": ("appointment", "#009e73"),
    "csi:PostHolding": ("post held", "#66a61e"),
    "csi:Responsibility": ("responsibility", "#1f77b4"),
    "csi:Establishment": ("establishment", "#d55e00"),
    "csi:Contract": ("contract or funding", "#8c564b"),
    "csi:Funding": ("contract or funding", "#8c564b"),
    "csi:Position": ("stakeholder position", "#17becf"),
    "csi:Authorship": ("authorship", "#bdbdbd"),
}
OTHER_GROUP = ("other", "#777777")

FONT = "DejaVu Sans"  # ships with matplotlib, so text measures the same everywhere


def class_colour(cls: str) -> str:
    return CLASS_COLOURS.get(cls, FALLBACK_COLOUR)


def class_order(cls: str) -> int:
    """Legend order: the order of CLASS_COLOURS (councils first), unknown classes last."""
    order = list(CLASS_COLOURS)
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
