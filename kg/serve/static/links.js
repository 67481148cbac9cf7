// Shared by the pages: an IRI of the graph (https://w3id.org/csikg/<path>) is shown on this
// server as /<path> (its entity page); other IRIs are left as they are.
"use strict";

const GRAPH_BASE = "https://w3id.org/csikg/";

function localHref(iri) {
  return iri.startsWith(GRAPH_BASE) ? `/${iri.slice(GRAPH_BASE.length)}` : iri;
}
