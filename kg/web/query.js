// The query page of `kg serve`: editor, named queries, results table, downloads.
// Everything that comes from the data or the server is written with textContent or
// createElement, never as HTML; the page talks to its own server only.
"use strict";

(function () {
  const I18N = {
    zh: {
      title: "智谱知识图谱 · SPARQL",
      explorer: "关系图",
      serviceDescription: "服务描述",
      examples: "示例查询",
      run: "运行",
      downloadCsv: "下载 CSV",
      downloadJson: "下载 JSON",
      other: "English",
      running: "查询中…",
      rows: (n, ms) => `${n} 行 · ${ms} 毫秒`,
      graph: (ms) => `图结果(Turtle)· ${ms} 毫秒`,
      answer: (ms) => `${ms} 毫秒`,
      yes: "是",
      no: "否",
      truncated: (n) => `结果已截断:只显示前 ${n} 行(服务器的行数上限)。`,
      failed: "请求失败",
      noCsv: "图结果(CONSTRUCT/DESCRIBE)没有 CSV 格式。",
    },
    en: {
      title: "Zhipu knowledge graph · SPARQL",
      explorer: "Graph explorer",
      serviceDescription: "Service description",
      examples: "Example queries",
      run: "Run",
      downloadCsv: "Download CSV",
      downloadJson: "Download JSON",
      other: "中文",
      running: "Running…",
      rows: (n, ms) => `${n} row(s) · ${ms} ms`,
      graph: (ms) => `graph result (Turtle) · ${ms} ms`,
      answer: (ms) => `${ms} ms`,
      yes: "yes",
      no: "no",
      truncated: (n) => `Truncated: only the first ${n} rows are shown (the server's row cap).`,
      failed: "Request failed",
      noCsv: "Graph results (CONSTRUCT/DESCRIBE) have no CSV form.",
    },
  };
  const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
  const state = {
    lang: "zh",
    prefixes: {},
    queries: [],
    named: null,
    result: null,
    labels: {},
    status: null,
  };
  let editor = null;

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

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const label = labelOf(term.value);
      const id = entityId(term.value);
      if (id !== null) {
        td.append(el("a", { href: "/entity/" + encodeURIComponent(id), title: term.value }, [
          label || shorten(term.value),
        ]));
      } else {
        if (label) td.append(label, " ");
        td.append(el("code", { title: term.value }, [shorten(term.value)]));
      }
    } else if (term.type === "bnode") {
      td.append(el("code", {}, ["_:" + term.value]));
    } else {
      td.append(el("span", { className: "literal" }, [term.value]));
      const tag = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? shorten(term.datatype) : "";
      if (tag) td.append(el("span", { className: "tag" }, [tag]));
    }
    return td;
  }

  // ------------------------------------------------------------ rendering
  function applyLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = t(node.dataset.i18n);
    }
    byId("lang").textContent = t("other");
    byId("explore-link").href = "/explore?lang=" + state.lang;
    renderCatalogue();
    renderResult();
    renderStatus();
  }

  function renderCatalogue() {
    const list = byId("named");
    list.replaceChildren();
    for (const query of state.queries) {
      const [first, second] = state.lang === "zh"
        ? [query.title_zh, query.title]
        : [query.title, query.title_zh];
      const button = el("button", {
        type: "button",
        className: state.named === query ? "current" : "",
        title: state.lang === "zh" ? query.summary_zh : query.summary,
      }, [
        el("span", { className: "primary" }, [first]),
        el("span", { className: "secondary" }, [second]),
      ]);
      button.dataset.name = query.name;
      button.addEventListener("click", () => choose(query));
      list.append(el("li", {}, [button]));
    }
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
    const vars = data.head.vars || [];
    const head = el("tr", {}, vars.map((name) => el("th", {}, ["?" + name])));
    const body = el("tbody");
    for (const binding of data.results.bindings) {
      body.append(el("tr", {}, vars.map((name) => cell(binding[name]))));
    }
    box.append(el("table", { className: "results" }, [el("thead", {}, [head]), body]));
  }

  function renderStatus() {
    const s = state.status;
    byId("status").textContent = !s ? "" : s.running ? t("running") : t(s.key)(...s.args);
  }

  function setStatus(status) {
    state.status = status;
    renderStatus();
  }

  function showError(text) {
    const box = byId("error");
    box.textContent = text;
    box.hidden = false;
    markError(text);
  }

  // A syntax error names its spot ("syntax error: line L, column C"): mark it in the editor.
  let errorMark = null;
  function markError(text) {
    if (errorMark) errorMark.clear();
    errorMark = null;
    const found = /syntax error: line (\d+), column (\d+)/.exec(text || "");
    if (!found || !editor || state.named) return;
    const line = Number(found[1]) - 1;
    const length = (editor.getLine(line) || "").length;
    if (length === 0) return;
    const ch = Math.min(Number(found[2]) - 1, length - 1);
    errorMark = editor.markText({ line, ch }, { line, ch: ch + 1 }, { className: "syntax-error" });
    editor.setCursor({ line, ch });
  }

  // ------------------------------------------------------------ talking to the server
  function request(accept) {
    if (state.named) {
      const fields = new URLSearchParams();
      for (const input of byId("params").querySelectorAll("input")) {
        if (input.value.trim()) fields.append(input.name, input.value.trim());
      }
      const url = "/queries/" + encodeURIComponent(state.named.name) + "?" + fields;
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
    byId("error").hidden = true;
    markError(null);
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
        state.result = { kind: "table", data, truncated, maxRows };
        const rows = data.results ? data.results.bindings.length : null;
        setStatus(rows === null ? { key: "answer", args: [ms] } : { key: "rows", args: [rows, ms] });
      } else {
        state.result = { kind: "graph", text, truncated, maxRows };
        setStatus({ key: "graph", args: [ms] });
      }
      renderResult();
    } catch (error) {
      setStatus(null);
      showError(`${t("failed")}: ${error}`);
    }
  }

  async function download(kind) {
    byId("error").hidden = true;
    const graph = state.result && state.result.kind === "graph";
    if (kind === "csv" && graph) {
      showError(t("noCsv"));
      return;
    }
    const accept = kind === "csv" ? "text/csv" : graph ? "application/ld+json" : "application/sparql-results+json";
    try {
      const response = await request(accept);
      if (!response.ok) {
        showError(`${response.status} ${response.statusText}\n${await response.text()}`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const name = (state.named ? state.named.name : "results") + "." + (kind === "csv" ? "csv" : "json");
      const link = el("a", { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      showError(`${t("failed")}: ${error}`);
    }
  }

  function choose(query) {
    state.named = query;
    editor.setValue(query.text);
    renderParams();
    renderCatalogue();
    run();
  }

  // ------------------------------------------------------------ start
  async function start() {
    editor = CodeMirror.fromTextArea(byId("editor"), {
      mode: "application/sparql-query",
      lineNumbers: true,
      matchBrackets: true,
      indentUnit: 2,
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run },
    });
    editor.on("change", () => {
      if (state.named && editor.getValue() !== state.named.text) {
        state.named = null;
        renderParams();
        renderCatalogue();
      }
    });
    byId("run").addEventListener("click", run);
    byId("download-csv").addEventListener("click", () => download("csv"));
    byId("download-json").addEventListener("click", () => download("json"));
    byId("lang").addEventListener("click", () => {
      state.lang = state.lang === "zh" ? "en" : "zh";
      applyLanguage();
    });
    try {
      const response = await fetch("/queries", { headers: { Accept: "application/json" } });
      const catalogue = await response.json();
      state.prefixes = catalogue.prefixes;
      state.queries = catalogue.queries;
    } catch (error) {
      showError(`${t("failed")}: ${error}`);
    }
    applyLanguage();
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
