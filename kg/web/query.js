// The query page of `kg serve`: editor, named queries (grouped by theme, query-examples.js),
// the question box (query-ask.js), results table, downloads, share links, history,
// autocompletion (query-complete.js), readable values (query-values.js), the columns and the
// evidence under each row (query-columns.js), a sortable, filterable, paged table
// (query-table.js) and its texts (query-text.js).
// Everything that comes from the data or the server is written with textContent or
// createElement, never as HTML; the page talks to its own server only.
"use strict";

(function () {
  const I18N = window.KgQueryText; // query-text.js
  const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
  const HISTORY_KEY = "kg-query-history";
  const HISTORY_SIZE = 30;
  const state = {
    lang: "zh",
    prefixes: {},
    queries: [],
    named: null,
    result: null,
    labels: {},
    status: null,
    vocabulary: [],
    table: null,
    formats: [], // the server's format records (GET /queries), for the download links
  };
  let editor = null;
  let asker = null; // the question box (query-ask.js)
  let errorMarks = [];

  const byId = (id) => document.getElementById(id);
  const t = (key) => I18N[state.lang][key];

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ------------------------------------------------------------ terms
  function shorten(iri) {
    let best = "";
    for (const [prefix, ns] of Object.entries(state.prefixes)) {
      if (iri.startsWith(ns) && ns.length > (state.prefixes[best] || "").length) best = prefix;
    }
    if (best) {
      const local = iri.slice(state.prefixes[best].length);
      if (/^[\w.-]+$/u.test(local) && !local.endsWith(".")) return `${best}:${local}`;
    }
    return `<${iri}>`;
  }

  function labelOf(iri) {
    const found = state.labels[iri];
    if (!found) return null;
    return found[state.lang] || found[state.lang === "zh" ? "en" : "zh"] || null;
  }

  function entityId(iri) {
    const base = state.prefixes.kgr;
    return base && iri.startsWith(base) && iri.length > base.length ? iri.slice(base.length) : null;
  }

  function cell(term, name, binding) {
    return KgValues.cell(term, binding, { lang: state.lang, labelOf, shorten, entityId, el });
  }

  // ------------------------------------------------------------ rendering
  function applyLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = t(node.dataset.i18n);
    }
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
      node.placeholder = t(node.dataset.i18nPlaceholder);
    }
    byId("lang").textContent = t("other");
    byId("explore-link").href = "/explore?lang=" + state.lang;
    renderCatalogue();
    renderResult();
    renderStatus();
  }

  function renderCatalogue() {
    KgExamples.render(byId("named"), state.queries, { lang: state.lang, current: state.named, t, el, choose });
  }

  function renderParams() {
    const form = byId("params");
    form.replaceChildren();
    const params = state.named ? state.named.params : [];
    form.hidden = params.length === 0;
    for (const param of params) {
      const input = el("input", {
        name: param.name,
        value: param.example || "",
        placeholder: param.description,
        title: param.description,
      });
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          run();
        }
      });
      const optional = param.optional ? " ?" : "";
      form.append(el("label", {}, [`?${param.name} (${param.type})${optional}`, input]));
    }
  }

  function renderResult() {
    const box = byId("results");
    const notice = byId("notice");
    box.replaceChildren();
    notice.hidden = true;
    const result = state.result;
    if (!result) return;
    if (result.truncated) {
      notice.textContent = t("truncated")(result.maxRows);
      notice.hidden = false;
    }
    if (result.kind === "graph") {
      box.append(el("pre", { className: "graph" }, [result.text]));
      return;
    }
    const data = result.data;
    if (typeof data.boolean === "boolean") {
      box.append(el("p", { className: "boolean" }, [data.boolean ? t("yes") : t("no")]));
      return;
    }
    const previous = state.table;
    const bindings = data.results.bindings;
    const { columns, evidence, fallback, empty } = KgColumns.split(data.head.vars || [], bindings, state.lang, labelOf);
    const ctx = { lang: state.lang, labelOf, shorten, entityId, el, located: result.located };
    const shown = (term, name, binding) => cell(term || binding[fallback[name]], name, binding);
    const under = evidence.length ? (binding) => KgColumns.detail(binding, evidence, ctx) : null;
    state.table = new KgTable.Table(columns, bindings, shown, t, under);
    if (previous && previous.source === data && previous.vars.join() === columns.join()) {
      Object.assign(state.table, { sortBy: previous.sortBy, descending: previous.descending, filter: previous.filter, page: previous.page });
    }
    state.table.source = data;
    box.append(state.table.draw());
    if (empty.length) box.append(el("p", { className: "empty-columns" }, [t("emptyColumns") + empty.map((v) => "?" + v).join(" ")]));
  }

  function renderStatus() {
    const s = state.status;
    byId("status").textContent = !s ? "" : s.running ? t("running") : t(s.key)(...s.args);
  }

  function setStatus(status) {
    state.status = status;
    renderStatus();
  }

  function clearError() {
    byId("error").hidden = true;
    for (const mark of errorMarks) mark.clear();
    errorMarks = [];
    editor.clearGutter("errors");
  }

  // The server reports "line L, column C" (1-based) of the text it was sent: mark it in place.
  function showError(text) {
    const box = byId("error");
    box.textContent = text;
    box.hidden = false;
    const where = /line (\d+), column (\d+)/.exec(text);
    if (!where || state.named) return;
    const line = Math.min(Number(where[1]) - 1, editor.lineCount() - 1);
    const length = editor.getLine(line).length;
    const ch = Math.min(Math.max(Number(where[2]) - 1, 0), Math.max(length - 1, 0));
    const to = { line: line, ch: Math.min(ch + 1, Math.max(length, 1)) };
    errorMarks.push(editor.markText({ line: line, ch: ch }, to, { className: "error-mark", title: text }));
    const marker = el("span", { className: "error-gutter", title: text }, ["●"]);
    editor.setGutterMarker(line, "errors", marker);
    editor.scrollIntoView({ line: line, ch: ch });
  }

  // ------------------------------------------------------------ talking to the server
  function paramValues() {
    const fields = new URLSearchParams();
    for (const input of byId("params").querySelectorAll("input")) {
      if (input.value.trim()) fields.append(input.name, input.value.trim());
    }
    return fields;
  }

  // The address that reopens this query (and runs it): ?query=… or ?named=NAME&param=value.
  function shareUrl() {
    const fields = new URLSearchParams();
    if (state.named) {
      fields.set("named", state.named.name);
      for (const [key, value] of paramValues()) fields.append("p." + key, value);
    } else {
      fields.set("query", editor.getValue());
    }
    fields.set("lang", state.lang);
    return location.pathname + "?" + fields;
  }

  function request(accept) {
    if (state.named) {
      const url = "/queries/" + encodeURIComponent(state.named.name) + "?" + paramValues();
      return fetch(url, { headers: { Accept: accept } });
    }
    return fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query; charset=utf-8", Accept: accept },
      body: editor.getValue(),
    });
  }

  async function fetchLabels(data) {
    const wanted = new Set();
    for (const binding of (data.results || {}).bindings || []) {
      for (const term of Object.values(binding)) {
        if (term.type === "uri" && !(term.value in state.labels)) wanted.add(term.value);
      }
    }
    if (wanted.size === 0) return;
    const response = await fetch("/labels", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify([...wanted]),
    });
    if (!response.ok) return;
    const found = await response.json();
    for (const iri of wanted) state.labels[iri] = found[iri] || null;
  }

  async function run() {
    clearError();
    history.replaceState(null, "", shareUrl());
    byId("share").href = shareUrl();
    remember();
    document.body.dataset.running = "true";
    setStatus({ running: true });
    const started = performance.now();
    try {
      const response = await request(ACCEPT);
      const text = await response.text();
      const ms = Math.round(performance.now() - started);
      if (!response.ok) {
        state.result = null;
        renderResult();
        setStatus(null);
        showError(`${response.status} ${response.statusText}\n${text}`);
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      const truncated = response.headers.get("X-KG-Truncated") === "true";
      const maxRows = response.headers.get("X-KG-Max-Rows");
      if (type.startsWith("application/sparql-results+json")) {
        const data = JSON.parse(text);
        await fetchLabels(data);
        const vars = (data.head && data.head.vars) || [];
        const located = data.results ? await KgColumns.locate(data.results.bindings, vars) : {};
        const sources = Object.values(located).map((where) => ({ source: { type: "uri", value: where.source } }));
        await fetchLabels({ results: { bindings: sources } });
        state.result = { kind: "table", data, truncated, maxRows, located };
        const rows = data.results ? data.results.bindings.length : null;
        setStatus(rows === null ? { key: "answer", args: [ms] } : { key: "rows", args: [rows, ms] });
      } else {
        state.result = { kind: "graph", text, truncated, maxRows };
        setStatus({ key: "graph", args: [ms] });
      }
      renderResult();
      renderDownloads();
    } catch (error) {
      setStatus(null);
      showError(`${t("failed")}: ${error}`);
    } finally {
      delete document.body.dataset.running;
    }
  }

  // Download links, one per format the server offers for the current kind of answer (its
  // format records, listed by GET /queries): the same query again, in that format.
  function renderDownloads() {
    const form = state.result && state.result.kind === "graph" ? "CONSTRUCT" : "SELECT";
    const links = state.formats
      .filter((format) => format.forms.includes(form))
      .map((format) => {
        const link = el("a", { id: "download-" + format.name, href: "#", download: "" }, [format.label]);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          download(format);
        });
        return link;
      });
    byId("download-links").replaceChildren(...links);
  }

  async function download(format) {
    clearError();
    try {
      const response = await request(format.media);
      if (!response.ok) {
        showError(`${response.status} ${response.statusText}\n${await response.text()}`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const name = (state.named ? state.named.name : "results") + "." + format.extension;
      const link = el("a", { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      showError(`${t("failed")}: ${error}`);
    }
  }

  // ------------------------------------------------------------ history (this browser only)
  function loadHistory() {
    try {
      const items = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(items) ? items.filter((i) => i && typeof i.url === "string") : [];
    } catch (error) {
      return [];
    }
  }

  function remember() {
    const url = shareUrl();
    const title = state.named
      ? (state.lang === "zh" ? state.named.title_zh : state.named.title) || state.named.name
      : editor.getValue().replace(/^\s*#.*$/gm, "").replace(/\s+/g, " ").trim().slice(0, 80);
    const items = [{ url: url, title: title, at: new Date().toISOString() }, ...loadHistory().filter((i) => i.url !== url)];
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_SIZE)));
    } catch (error) {
      // storage full or disabled: the history is a convenience
    }
    renderHistory();
  }

  function renderHistory() {
    const list = byId("history");
    list.replaceChildren();
    for (const item of loadHistory()) {
      const link = el("a", { href: item.url, title: item.at }, [item.title]);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        openUrl(new URL(item.url, location.href).searchParams);
      });
      list.append(el("li", {}, [link]));
    }
  }

  function choose(query, values) {
    state.named = query;
    editor.setValue(query.text);
    editor.setSize(null, "8em"); // a named query's answer matters more than its text
    renderParams();
    for (const [key, value] of values || []) {
      const input = byId("params").querySelector(`input[name="${CSS.escape(key)}"]`);
      if (input) input.value = value;
    }
    renderCatalogue();
    run();
  }

  // Open what an address names (a shared link or a history entry) and run it.
  function openUrl(fields) {
    if (fields.get("lang") === "en" || fields.get("lang") === "zh") {
      state.lang = fields.get("lang");
      applyLanguage();
    }
    const named = state.queries.find((q) => q.name === fields.get("named"));
    if (named) {
      const values = [...fields].filter(([k]) => k.startsWith("p.")).map(([k, v]) => [k.slice(2), v]);
      choose(named, values);
    } else if (fields.has("query")) {
      editor.setValue(fields.get("query"));
      run();
    } else if (fields.get("ask")) {
      asker.ask(fields.get("ask")); // a question shared as /?ask=…
    }
  }

  // ------------------------------------------------------------ start
  async function start() {
    editor = CodeMirror.fromTextArea(byId("editor"), {
      mode: "application/sparql-query",
      lineNumbers: true,
      gutters: ["CodeMirror-linenumbers", "errors"],
      matchBrackets: true,
      indentUnit: 2,
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run },
    });
    editor.on("change", () => {
      if (state.named && editor.getValue() !== state.named.text) {
        state.named = null;
        editor.setSize(null, "18em");
        renderParams();
        renderCatalogue();
      }
    });
    byId("run").addEventListener("click", run);
    byId("share").addEventListener("click", (event) => {
      event.preventDefault();
      byId("share").href = shareUrl();
      if (navigator.clipboard) navigator.clipboard.writeText(location.origin + shareUrl()).catch(() => {});
      history.replaceState(null, "", shareUrl());
    });
    KgComplete.install(editor, () => state.vocabulary);
    asker = KgAsk.install({
      t, el, choose,
      lang: () => state.lang,
      find: (name) => state.queries.find((q) => q.name === name),
    });
    byId("lang").addEventListener("click", () => {
      state.lang = state.lang === "zh" ? "en" : "zh";
      applyLanguage();
    });
    try {
      const response = await fetch("/queries", { headers: { Accept: "application/json" } });
      const catalogue = await response.json();
      state.prefixes = catalogue.prefixes;
      state.queries = catalogue.queries;
      state.formats = catalogue.formats;
    } catch (error) {
      showError(`${t("failed")}: ${error}`);
    }
    applyLanguage();
    renderDownloads();
    renderHistory();
    state.vocabulary = await KgComplete.vocabulary(state.prefixes, shorten);
    document.body.dataset.ready = "true";
    openUrl(new URLSearchParams(location.search));
  }

  document.addEventListener("DOMContentLoaded", start);
})();
