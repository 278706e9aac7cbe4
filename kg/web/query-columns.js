// Which columns the query page's results table shows, and the evidence under each row.
// * One label column per language, by the CLI's `--lang` rule: `?x_en` is dropped in Chinese
//   (`?x_zh` in English), and `?x_zh` too when `?x` is an IRI that already reads as its label
//   (or when, in every row, an IRI of the row reads as that label). A row with no label in the
//   chosen language shows the other one. A column no row fills is left out and named.
// * The evidence (quotes, offsets, tier, the report and where in it) leaves the columns and is
//   shown under its row, where a person reads it: the quote in full, offsets and the evidence
//   graph on hover (asked of /sparql by the quote when the query does not give them); a cited
//   statement shows its report, date and locator (no quote: none is kept).
// Everything is built with createElement and text nodes.
"use strict";

(function () {
  // Columns that say where a row's statement comes from (shown with its quote, not beside it).
  const WHERE = new Set(["start", "end", "tier", "locator", "source", "published", "publisher", "evidence"]);
  const isQuote = (name) => name === "quote" || name.endsWith("_quote");

  function parts(name) {
    const cut = name.lastIndexOf("_");
    return cut > 0 ? [name.slice(0, cut), name.slice(cut + 1)] : ["", ""];
  }

  // True when a label column says, in every row, what an IRI column of that row already reads
  // (?event shows 智谱A轮融资 and ?label_zh repeats it).
  function repeats(name, vars, bindings, labelOf) {
    const iris = vars.filter((v) => v !== name && bindings.some((b) => b[v] && b[v].type === "uri"));
    if (!iris.length || !bindings.some((b) => b[name])) return false;
    return bindings.every((b) => !b[name] || iris.some((v) => b[v] && b[v].type === "uri" && labelOf(b[v].value) === b[name].value));
  }

  /**
   * @param {string[]} vars the result's variables
   * @param {object[]} bindings its rows
   * @param {string} lang "zh" or "en"
   * @param {function(string): ?string} labelOf an IRI's label in `lang`
   * @returns {{columns: string[], evidence: string[], fallback: Object<string, string>, empty: string[]}}
   */
  function split(vars, bindings, lang, labelOf) {
    const other = lang === "zh" ? "en" : "zh";
    const withEvidence = vars.some(isQuote) || vars.includes("tier");
    let evidence = withEvidence ? vars.filter((v) => isQuote(v) || WHERE.has(v)) : [];
    if (evidence.length === vars.length) evidence = []; // nothing else to show: keep the columns
    const columns = [];
    const fallback = {};
    // a column no row fills says nothing: left out (and named above the table), when rows exist
    const empty = bindings.length ? vars.filter((v) => !evidence.includes(v) && bindings.every((b) => !b[v])) : [];
    for (const name of vars) {
      if (evidence.includes(name) || empty.includes(name)) continue;
      const [base, suffix] = parts(name);
      if (base && suffix === other) continue;
      if (base && suffix === lang && vars.includes(base)) {
        const labelled = bindings.every((b) => !b[base] || b[base].type === "uri");
        if (labelled) continue; // ?city already reads 北京
      }
      if (base && suffix === lang && repeats(name, vars, bindings, labelOf)) continue;
      if (base && suffix === lang && vars.includes(base + "_" + other)) fallback[name] = base + "_" + other;
      columns.push(name);
    }
    return { columns, evidence, fallback, empty };
  }

  const TIER = {
    zh: { quoted: "原文摘录", cited: "公开报道引用", chars: "字符" },
    en: { quoted: "quoted", cited: "cited report", chars: "chars" },
  };

  /**
   * The evidence under one row: {node, text} (text for the filter), or null when it has none.
   * @param {object} binding the row
   * @param {string[]} evidence the evidence columns (from split)
   * @param {object} ctx {lang, labelOf, shorten, entityId, el, located: from locate()}
   */
  function detail(binding, evidence, ctx) {
    const { lang, labelOf, shorten, el } = ctx;
    const quotes = evidence.filter((name) => isQuote(name) && binding[name]);
    const located = (quotes.length && (ctx.located || {})[binding[quotes[0]].value]) || {};
    const given = (name) => (evidence.includes(name) && binding[name] ? binding[name].value : "");
    // what the row says, else where its (first) quote was found: offsets, evidence graph, source
    const fill = { start: "start", end: "end", evidence: "graph", source: "source" };
    const value = (name) => given(name) || (name in fill && given("tier") !== "cited" ? located[fill[name]] || "" : "");
    const tier = value("tier") || (quotes.length ? "quoted" : "");
    const source = value("source");
    const sourceLabel = source ? labelOf(source) || shorten(source) : "";
    const graph = value("evidence");
    const span = value("start") && value("end") ? `${value("start")}–${value("end")}` : "";
    const words = TIER[lang];
    const hover = [
      words[tier] || tier,
      graph ? shorten(graph) : "",
      span ? `${words.chars} ${span}` : "",
      sourceLabel,
      value("published"),
      value("locator"),
    ].filter(Boolean).join(" · ");
    if (!quotes.length && !source && !value("locator")) return null;
    const box = el("div", { className: "evidence " + (tier || "quoted") });
    const texts = [];
    for (const name of quotes) {
      const quote = el("blockquote", { lang: "zh", title: hover }, [binding[name].value]);
      if (name !== "quote") quote.prepend(el("span", { className: "tag" }, ["?" + name]), " ");
      box.append(quote);
      texts.push(binding[name].value);
    }
    const where = el("p", { className: "where", title: hover });
    where.append(el("span", { className: "tier" }, [words[tier] || tier || words.quoted]));
    if (tier === "cited" || !quotes.length) {
      const id = source ? ctx.entityId(source) : null;
      if (sourceLabel) {
        where.append(" · ", id !== null ? el("a", { href: "/entity/" + encodeURIComponent(id), title: source }, [sourceLabel]) : sourceLabel);
      }
      for (const name of ["publisher", "published", "locator"]) if (value(name)) where.append(" · " + value(name));
    }
    box.append(where);
    texts.push(where.textContent);
    return { node: box, text: texts.join(" ") };
  }

  // A string as a SPARQL literal (no character of the data can end it early).
  function literal(text) {
    return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
  }

  const MAX_QUOTES = 500;

  /**
   * Where each quote of the rows sits, for rows whose query gives no offsets: one query to
   * /sparql for the evidence graphs that quote it, their offsets and their source.
   * @returns {Promise<Object<string, {start: string, end: string, graph: string, source: string}>>}
   */
  async function locate(bindings, evidence) {
    const quotes = new Set();
    for (const binding of bindings) {
      for (const name of evidence) {
        if (isQuote(name) && binding[name] && quotes.size < MAX_QUOTES) quotes.add(binding[name].value);
      }
    }
    if (!quotes.size) return {};
    const query = `SELECT ?quote ?start ?end ?graph ?source WHERE {
  VALUES ?quote { ${[...quotes].map(literal).join(" ")} }
  GRAPH kgg:provenance {
    ?graph prov:wasDerivedFrom ?derivation .
    ?derivation oa:hasSource ?source ; oa:hasSelector ?exact , ?position .
    ?exact oa:exact ?quote . ?position oa:start ?start ; oa:end ?end .
  }
} ORDER BY ?start ?graph`;
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query; charset=utf-8", Accept: "application/sparql-results+json" },
      body: query,
    });
    if (!response.ok) return {};
    const found = {};
    for (const row of (await response.json()).results.bindings) {
      const quote = row.quote.value;
      if (!(quote in found)) {
        found[quote] = { start: row.start.value, end: row.end.value, graph: row.graph.value, source: row.source.value };
      }
    }
    return found;
  }

  window.KgColumns = { split: split, detail: detail, locate: locate, isQuote: isQuote };
})();
