// The SPARQL workbench: YASGUI (from npm, served by this server) on this server's /sparql,
// offline. No persistence (every tab lives in this page only; the URL carries the query), no
// prefix.cc or LOV look-ups (the graph's own prefixes complete locally), no other endpoint.
"use strict";

const $ = (id) => document.getElementById(id);
const ENDPOINT = new URL("/sparql", location.href).href;
const WELCOME = `# The councils of the graph; a saved query from the list is a better start.
SELECT ?council ?label WHERE {
  ?council a csi:LocalAuthority ; rdfs:label ?label .
}
ORDER BY ?label`;
// Declared in the first query; the others are added as they are typed.
const FIRST_PREFIXES = ["csi", "council", "rdfs", "skos", "oa", "org"];

function element(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

function prefixLines(prefixes, names) {
  return names.filter((n) => prefixes[n]).map((n) => `PREFIX ${n}: <${prefixes[n]}>`).join("\n");
}

function configureYasgui(prefixes) {
  const { Yasqe, Yasr } = Yasgui;
  // The bundled prefix completer, fed with the graph's prefixes instead of prefix.cc's.
  const entries = Object.entries(prefixes).map(([p, ns]) => `${p}: <${ns}>`).sort();
  Yasqe.forkAutocompleter("prefixes", {
    name: "graph-prefixes", persistenceId: null, get: () => Promise.resolve(entries),
  });
  // Only local completers: the bundled "property" and "class" ones ask LOV on the web. The
  // defaults are changed in place (a config list is merged into them, not put instead).
  Yasqe.defaults.autocompleters.splice(0, Infinity, "graph-prefixes", "variables");
  // Result cells that are the graph's IRIs open their entity page on this server.
  const table = Yasr.plugins.table;
  const link = table.prototype.getUriLinkFromBinding;
  table.prototype.getUriLinkFromBinding = function (binding, prefixMap) {
    const html = link.call(this, binding, prefixMap);
    // (the HTML comes back sanitised, with either kind of quotes)
    return html.replace(/href=(["'])https:\/\/w3id\.org\/csikg\//, "href=$1/")
      .replace(/target=(["'])_blank\1/, "target=$1_self$1");
  };
}

function currentTab(yasgui) {
  return yasgui.getTab();
}

function keepInUrl(yasgui) {
  const tab = currentTab(yasgui);
  if (!tab) return;
  const url = new URL(location.href);
  url.search = new URLSearchParams({ query: tab.getQuery() }).toString();
  url.hash = "";
  history.replaceState(null, "", url);
}

function openSaved(yasgui, query) {
  fetch(`/api/queries/${encodeURIComponent(query.name)}`)
    .then((r) => r.json())
    .then((data) => {
      const existing = Object.values(yasgui._tabs).find((t) => t.getName() === query.name);
      const tab = existing || yasgui.addTab(true, { name: query.name });
      yasgui.selectTabId(tab.getId());
      tab.setQuery(data.text);
      keepInUrl(yasgui);
    })
    .catch((error) => showError(`The saved query could not be opened: ${error}`));
}

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message || "";
}

function drawGallery(yasgui, queries) {
  const list = $("gallery-list");
  const topics = [...new Set(queries.map((q) => q.topic))];
  for (const topic of topics) {
    const section = element("section", { "data-topic": topic });
    section.append(element("h3", {}, topic));
    const ul = element("ul");
    for (const query of queries.filter((q) => q.topic === topic)) {
      const li = element("li", { "data-name": query.name, title: query.description });
      const button = element("button", { type: "button", "data-query": query.name }, query.name);
      button.addEventListener("click", () => openSaved(yasgui, query));
      li.append(button, element("span", {}, query.summary));
      ul.append(li);
    }
    section.append(ul);
    list.append(section);
  }
  $("gallery-filter").addEventListener("input", (event) => {
    const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const li of list.querySelectorAll("li")) {
      const text = li.textContent.toLowerCase() + " " + li.title.toLowerCase();
      li.hidden = !words.every((w) => text.includes(w));
    }
  });
}

async function start() {
  const data = await (await fetch("/api/queries")).json();
  configureYasgui(data.prefixes);
  const given = new URLSearchParams(location.search).get("query");
  const first = given || `${prefixLines(data.prefixes, FIRST_PREFIXES)}\n\n${WELCOME}\n`;
  const yasgui = new Yasgui($("yasgui"), {
    requestConfig: { endpoint: ENDPOINT, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: ENDPOINT }] },
    populateFromUrl: false, // the URL state is ours (?query=), never an endpoint from a link
    persistenceId: null, // nothing in localStorage: one browser's tabs are nobody else's
    autofocus: true,
    yasqe: {
      value: first,
      prefixCcApi: null,
      createShareableLink: null, // the address bar is the share link (it works offline)
      editorHeight: "260px",
    },
    yasr: { prefixes: data.prefixes, pluginOrder: ["table", "response"], defaultPlugin: "table" },
  });
  window.kgYasgui = yasgui; // for the browser tests
  const tab = currentTab(yasgui);
  if (tab && tab.getQuery() !== first) tab.setQuery(first);
  yasgui.on("query", () => keepInUrl(yasgui));
  yasgui.on("tabSelect", () => setTimeout(() => keepInUrl(yasgui), 0));
  yasgui.on("queryResponse", () => { document.body.dataset.answered = String(Date.now()); });
  drawGallery(yasgui, data.queries);
  if (given) tab.query().catch(() => {});
  document.body.dataset.ready = "true";
}

start().catch((error) => showError(`The workbench could not start: ${error}`));
