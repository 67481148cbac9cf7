"""A synthetic corpus and graph in our own ontology, shaped like the domain, for scale tests.

`kg synth --councils N --years Y --seed K --out DIR` writes DIR/data (Turtle files in the layout of
kg/data: a registry and one file per council) and DIR/corpus (one text per synthetic source, in
which every quote occurs), so `kg build --data DIR/data --corpus DIR/corpus` builds it through the
same code path as the real graph. The same arguments always give the same bytes.
"""

from __future__ import annotations

from kg.synth.world import Summary, generate

__all__ = ["Summary", "generate"]
