// The saved-query page: list the queries, build a form from their parameters (with their
// allowed values as searchable lists), run one through the REST API and show its rows in YASR
// (the results viewer of the YASGUI bundle, served by this server: a table that sorts, filters
// and pages) and, for the queries that suit one, a chart of the same rows (chart.js). The
// address keeps the query and its parameters (?q=NAME&param=value), so a link opened later runs
// the same query. The table shows the query's default columns (its `#+ columns:` header, as
// `kg query` does) unless "all columns" is ticked (&columns=all in the address). Text goes into the page with textContent, or, in the table's cells (which
// YASR builds from HTML strings), escaped by escapeHtml.
"use strict";

const state = { queries: [], prefixes: {}, choices: {}, run: 0, yasr: null, labels: {}, sources: {},
  data: null, shown: [] };
const $ = (id) => document.getElementById(id);

function shorten(iri) {
  let best = null;
  for (const [prefix, ns] of Object.entries(state.prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
}

function element(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

function showError(message, suggestions = [], param = null) {
  const box = $("error");
  box.hidden = !message;
  box.replaceChildren();
  if (!message) return;
  box.append(element("span", {}, message));
  if (suggestions.length && param) {
    const list = element("span", { class: "suggestions" }, " Try: ");
    for (const suggestion of suggestions) {
      const button = element("button", { type: "button", "data-value": suggestion.value },
        suggestion.label ? `${suggestion.label} (${suggestion.value})` : suggestion.value);
      button.addEventListener("click", () => {
        const input = document.querySelector(`[data-param="${CSS.escape(param)}"]`);
        if (input) input.value = suggestion.value;
        run();
      });
      list.append(button);
    }
    box.append(list);
  }
}

function clearResults() {
  state.run += 1; // an answer still on its way belongs to the old question: drop it
  if (state.yasr) state.yasr.destroy();
  state.yasr = null;
  state.data = null;
  $("results").replaceChildren();
  $("chart").replaceChildren();
  $("status").textContent = "";
  $("downloads").replaceChildren();
  showError("");
}

function current() {
  return state.queries.find((q) => q.name === $("query").value);
}

function choicesOf(name) {
  return state.choices[name] || null;
}

// A typed value that names one allowed value (its slug, its IRI, its label, or a part of one
// label only) becomes that value; anything else goes to the server as typed (and is refused
// there with the nearest names if the graph does not know it).
function resolve(param, text) {
  const choices = choicesOf(param);
  const wanted = text.trim().toLowerCase();
  if (!choices || !wanted) return text.trim();
  const exact = choices.find((c) => c.value.toLowerCase() === wanted ||
    c.iri.toLowerCase() === wanted || c.label.toLowerCase() === wanted);
  if (exact) return exact.value;
  const partly = choices.filter((c) => c.label.toLowerCase().includes(wanted));
  return partly.length === 1 ? partly[0].value : text.trim();
}

function addChoices(query, params) {
  state.choices = {};
  for (const param of params) {
    if (!param.values) continue;
    state.choices[param.name] = param.values;
    const input = document.getElementById(`param-${param.name}`);
    if (!input) continue;
    const list = element("datalist", { id: `values-${param.name}` });
    for (const choice of param.values) {
      list.append(element("option", { value: choice.label || choice.value,
        "data-value": choice.value }, choice.value));
    }
    input.after(list);
    input.setAttribute("list", list.id);
  }
}

function buildForm(values = {}) {
  const query = current();
  if (!query) return Promise.resolve();
  $("summary").textContent = query.summary;
  $("description").textContent = query.description;
  const fieldset = $("params");
  fieldset.replaceChildren(element("legend", {}, "Parameters"));
  fieldset.classList.toggle("empty", query.params.length === 0);
  for (const param of query.params) {
    const id = `param-${param.name}`;
    fieldset.append(element("label", { for: id }, param.name));
    const input = element("input", {
      id, name: param.name, type: param.type === "date" ? "date" : "text",
      placeholder: param.default || "(all)", "data-param": param.name,
    });
    if (values[param.name] !== undefined) input.value = values[param.name];
    fieldset.append(input);
    fieldset.append(element("span", { class: "hint" },
      `${param.description}${param.default ? ` (default: ${param.default})` : ""}`));
  }
  $("sparql").textContent = "";
  state.choices = {};
  return fetch(`/api/queries/${encodeURIComponent(query.name)}`)
    .then((r) => r.json()).then((data) => {
      if (current() !== query) return;
      $("sparql").textContent = data.text || "";
      addChoices(query, data.params || []);
    })
    .catch(() => {});
}

function paramString() {
  const search = new URLSearchParams();
  for (const input of document.querySelectorAll("[data-param]")) {
    if (!input.value.trim()) continue;
    const value = resolve(input.dataset.param, input.value);
    input.value = value; // what is shown is what is asked (and what the link keeps)
    search.set(input.dataset.param, value);
  }
  return search;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// A cell as HTML (escaped): a graph IRI as a link to its page on this server, shown by its label
// with its prefixed name below (or by the prefixed name alone), a quote in quotation marks, any
// other value as its text.
function cellHtml(binding, variable) {
  if (binding.type === "uri") {
    const label = state.labels[binding.value];
    const text = escapeHtml(label || shorten(binding.value));
    const shown = /^https?:\/\//.test(binding.value)
      ? `<a href="${escapeHtml(localHref(binding.value))}" title="${escapeHtml(binding.value)}">${text}</a>`
      : text;
    return label ? `${shown}<div class="hint">${escapeHtml(shorten(binding.value))}</div>` : shown;
  }
  if (variable === "quote") return `<q>${escapeHtml(binding.value)}</q>`;
  if (isSourceList(variable)) {  // corpus ids, shown as citations (publisher, date, title)
    return binding.value.split(/\s+/).filter(Boolean)
      .map((id) => `<div class="citation" title="${escapeHtml(id)}">${
        escapeHtml(state.sources[id] || id)}</div>`).join("");
  }
  return escapeHtml(binding.value);
}

function isSourceList(variable) {
  return variable === "sources" || variable.endsWith("Sources");
}

// What a column sorts by (a label before its IRI) and what the filter box searches (the label,
// the prefixed name and the IRI).
function cellSort(binding) {
  return binding.type === "uri" ? (state.labels[binding.value] || shorten(binding.value))
    : binding.value;
}

function cellSearch(binding) {
  if (binding.type !== "uri") return binding.value;
  return [state.labels[binding.value] || "", shorten(binding.value), binding.value].join(" ");
}

// A "fooLabel" variable beside "foo" is shown as "foo": the IRI cell already shows the label.
function shownAs(variable, vars) {
  const base = variable.endsWith("Label") ? variable.slice(0, -"Label".length) : null;
  return base && vars.includes(base) ? base : variable;
}

// The variables the table shows, in order: the query's default columns (each "fooLabel" as
// "foo"), or, with "all columns" ticked (or no default columns), every variable in the
// answer's order.
function shownVariables(query, vars) {
  const all = vars.filter((v) => shownAs(v, vars) === v);
  if ($("all-columns").checked || !query || !(query.columns || []).length) return all;
  const shown = [];
  for (const column of query.columns) {
    const variable = shownAs(column, vars);
    if (vars.includes(variable) && !shown.includes(variable)) shown.push(variable);
  }
  return shown.length ? shown : all;
}

// YASR's table, its cells drawn as above. Its first column (the row number) is kept; the
// variables not shown (see shownVariables) are hidden columns, put after the shown ones (the
// filter still searches them).
function labelledTable(Table) {
  return class LabelledTable extends Table {
    getColumns() {
      const columns = super.getColumns();
      const vars = this.yasr.results ? this.yasr.results.getVariables() : [];
      return columns.map((column, i) => {
        if (i === 0) return column;
        const variable = vars[i - 1];
        return {
          ...column,
          className: variable === "quote" ? "quote" : "",
          visible: state.shown.includes(variable),
          render: (binding, type) => {
            if (binding === "" || binding === undefined) return "";
            if (type === "sort" || type === "type") return cellSort(binding);
            if (type === "filter") return cellSearch(binding);
            return cellHtml(binding, variable);
          },
        };
      });
    }
  };
}

function yasrFor(container) {
  const { Yasr } = Yasgui;
  if (!Yasr.plugins.table.labelled) {
    const Table = labelledTable(Yasr.plugins.table);
    Table.labelled = true;
    Yasr.registerPlugin("table", Table);
  }
  return new Yasr(container, {
    persistenceId: null, // nothing is kept in this browser: neither answers nor table settings
    prefixes: state.prefixes,
    pluginOrder: ["table"],
    defaultPlugin: "table",
    // The table only (the answer itself is the JSON download), its cells whole, not cut
    // with an ellipsis (a cut cell takes a first click to open, not to follow its link).
    plugins: { table: { enabled: true, dynamicConfig: { isEllipsed: false } },
      response: { enabled: false } },
  });
}

// The table alone (drawn again when "all columns" is ticked or unticked): the shown variables
// first, in their order, then the hidden ones.
function renderTable(data) {
  if (state.yasr) state.yasr.destroy();
  $("results").replaceChildren();
  const vars = data.head.vars || [];
  state.shown = shownVariables(state.queries.find((q) => q.name === data.query), vars);
  const head = { ...data.head, vars: [...state.shown, ...vars.filter((v) => !state.shown.includes(v))] };
  const yasr = yasrFor($("results"));
  state.yasr = yasr;
  // No links off this server: YASR's help button (the YASGUI site) and its download button
  // (its own CSV; the links above give the server's W3C formats) are left out.
  for (const button of yasr.headerEl.querySelectorAll(".yasr_external_ref_btn, .yasr_downloadIcon")) {
    button.remove();
  }
  const ticket = state.run;
  yasr.on("drawn", () => { // the status says "N rows" once the table shows them
    if (ticket !== state.run) return;
    const count = data.results.bindings.length;
    $("status").textContent = `${count} row${count === 1 ? "" : "s"}` +
      (data.truncated ? " (cut at the server's row cap)" : "");
  });
  yasr.setResponse({ data: { head, results: data.results },
    contentType: "application/sparql-results+json", status: 200 });
}

function render(data) {
  state.labels = data.labels || {};
  state.sources = data.sources || {};
  state.data = data;
  renderTable(data);
  drawChart($("chart"), data.query, data);
}

function downloads(name, search) {
  const span = $("downloads");
  span.replaceChildren();
  for (const [format, label] of [["csv", "CSV"], ["excel", "CSV (Excel)"], ["tsv", "TSV"], ["json", "JSON"]]) {
    const params = new URLSearchParams(search);
    params.set("format", format === "excel" ? "csv" : format);
    if (format === "excel") params.set("excel", "1");  // UTF-8 with a byte order mark
    span.append(element("a", { href: `/api/queries/${encodeURIComponent(name)}/run?${params}` },
      label));
  }
}

function keepInUrl(name, search) {
  const params = new URLSearchParams({ q: name });
  for (const [key, value] of search) params.set(key, value);
  if ($("all-columns").checked) params.set("columns", "all");
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

// Ticking "all columns": the address says so, and the rows shown are drawn again (not asked
// again).
function toggleColumns() {
  const params = new URLSearchParams(location.search);
  params.delete("columns");
  if ($("all-columns").checked) params.set("columns", "all");
  if (!params.has("q") && current()) params.set("q", current().name);
  history.replaceState(null, "", `${location.pathname}?${params}`);
  if (state.data) renderTable(state.data);
}

async function run(event) {
  if (event) event.preventDefault();
  const query = current();
  if (!query) return;
  clearResults();
  const ticket = state.run;
  $("status").textContent = "running…";
  const search = paramString();
  keepInUrl(query.name, search);
  try {
    const response = await fetch(`/api/queries/${encodeURIComponent(query.name)}/run?${search}`,
      { headers: { Accept: "application/json" } });
    const data = await response.json();
    if (ticket !== state.run) return;
    if (!response.ok) {
      $("status").textContent = "";
      showError(data.error || `HTTP ${response.status}`, data.suggestions || [], data.param);
      return;
    }
    downloads(query.name, search);
    render(data);
  } catch (error) {
    if (ticket !== state.run) return;
    $("status").textContent = "";
    showError(`The query could not be run: ${error}`);
  }
}

async function start() {
  const response = await fetch("/api/queries");
  const data = await response.json();
  state.queries = data.queries;
  state.prefixes = data.prefixes;
  const select = $("query");
  const topics = [...new Set(state.queries.map((q) => q.topic))];
  for (const topic of topics) {
    const group = element("optgroup", { label: topic });
    for (const q of state.queries.filter((x) => x.topic === topic)) {
      group.append(element("option", { value: q.name }, `${q.name}: ${q.summary}`));
    }
    select.append(group);
  }
  // ?q=NAME&param=value (a permalink: run it) or #NAME (just pick it)
  const search = new URLSearchParams(location.search);
  const linked = search.get("q");
  const wanted = linked || decodeURIComponent(location.hash.slice(1));
  const known = state.queries.some((q) => q.name === wanted);
  if (known) select.value = wanted;
  select.addEventListener("change", () => {
    clearResults();
    keepInUrl(select.value, []);
    buildForm();
  });
  $("form").addEventListener("submit", run);
  $("all-columns").checked = search.get("columns") === "all";
  $("all-columns").addEventListener("change", toggleColumns);
  const values = {};
  for (const [key, value] of search) if (key !== "q" && key !== "columns") values[key] = value;
  await buildForm(values);
  document.body.dataset.ready = "true";
  if (linked && known) await run();
}

start().catch((error) => showError(`The query list could not be loaded: ${error}`));
