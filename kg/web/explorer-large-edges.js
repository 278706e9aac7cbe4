// The large explorer's edge details: a click on a drawn edge (the nearest within a few pixels,
// found in the page: sigma's own edge picking would draw every edge twice) or on a relation in
// a panel shows the edge as the small explorer's panel does (explorer-details.js): its relation,
// the fact it draws with its date and amount, every quote with its source and offsets or the
// public report cited, claims and the curators' additions said to be what they are, and the
// other relations between the same two nodes. Text only, never markup.
"use strict";

(function () {
  const REACH = 5; // pixels from a drawn edge that a click still selects it
  const WORDS = {
    zh: { between: "同一对实体之间的其他关系", fact: "所述事实" },
    en: { between: "Other relations between the same two", fact: "The fact it draws" },
  };

  /**
   * The edge panel, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {{show: function(number), at: function({x: number, y: number}): number, key: function(number): string, find: function(string): number, factEdge: function(string): number, button: function(number, string=): Element}}
   */
  function install(ctx) {
    const { data, state, renderer, $, el, t, name, relationLabel, quoteOf, nodeButton } = ctx;
    const words = () => WORDS[state.lang];
    const text = (k) => data.estrings[k];
    const ends = (e) => [data.edges[4 * e], data.edges[4 * e + 1]];

    /** The edge's details row as named texts (empty texts when it has none). */
    function detail(e) {
      const row = data.edetails[data.edetail[e]];
      if (!row) return { fact: "", label_zh: "", label_en: "", date: "", dateText: "", amount_zh: "", amount_en: "", klass: "", claim: false };
      const [fact, zh, en, date, dateText, amountZh, amountEn, klass, claim] = row;
      return {
        fact: text(fact), label_zh: text(zh), label_en: text(en), date: text(date), dateText: text(dateText),
        amount_zh: text(amountZh), amount_en: text(amountEn), klass: text(klass), claim: claim === 1,
      };
    }
    // its date as written (the fact's), or the date the timeline reads
    function dateOf(e, d) {
      return d.date || (data.edate[e] >= 0 ? data.dates[data.edate[e]] : "");
    }
    function caption(e) {
      const d = detail(e);
      const head = [relationLabel(data.edges[4 * e + 2]), d["amount_" + state.lang]].filter(Boolean).join(" ");
      return [head, dateOf(e, d)].filter(Boolean).join(" · ");
    }
    function quotes(e) {
      const first = data.edges[4 * e + 3];
      return (first >= 0 ? [first] : []).concat(data.emore[e] || []);
    }
    function edgeButton(e, words) {
      const button = el("button", words || caption(e), "link");
      button.type = "button";
      button.dataset.edge = String(e);
      button.addEventListener("click", () => show(e));
      return button;
    }
    const kv = (key, value) => (value ? el("p", key + ": " + value, "kv") : null);

    /** A button that lights every edge drawing the fact (its index in estrings) and their ends. */
    function lightButton(fact) {
      const button = el("button", t("showEdges"), "link light");
      button.type = "button";
      button.addEventListener("click", () => {
        for (let x = 0; x < data.edetail.length; x++) {
          if (data.edetail[x] < 0 || data.edetails[data.edetail[x]][0] !== fact) continue;
          state.lit.edges.add(x);
          ends(x).forEach((i) => state.lit.nodes.add(i));
        }
        renderer.refresh();
      });
      return button;
    }

    /** Show edge e's details and light it up. */
    function show(e) {
      ctx.unselect();
      state.edge = e;
      const [s, o] = ends(e);
      if (!ctx.edgeShown[e]) [s, o].forEach(ctx.parts.filters.reveal); // hidden: shown again
      if (!ctx.edgeShown[e]) ctx.parts.filters.setDate(null);
      const d = detail(e);
      const body = $("details-body");
      const pair = el("p");
      pair.append(nodeButton(s), " → ", nodeButton(o));
      body.replaceChildren(el("h3", caption(e)), pair);
      const rel = data.relations[data.edges[4 * e + 2]];
      body.append(kv(t("relation"), relationLabel(data.edges[4 * e + 2]) + (rel[0] ? " (" + rel[0] + ")" : "")));
      if (d.fact || d.claim) {
        const card = el("div", undefined, "card fact");
        card.append(el("h4", d["label_" + state.lang] || d.label_zh || d.label_en || words().fact));
        for (const line of [
          kv(t("date"), [d.date, d.dateText].filter(Boolean).join(" · ")),
          kv(t("amount"), d["amount_" + state.lang]),
          kv(t("className"), d.klass),
          d.claim ? el("p", data.paths_text[state.lang].claim, "claim") : null,
        ]) if (line) card.append(line);
        // the fact's own values (a claim's words, a date note…) with their quotes, and the facts
        // it relates to, as the small explorer's fact card shows them
        // (a value's quote once, unless the edge's own quotes below hold it)
        const [values, related] = data.efacts[data.edetails[data.edetail[e]][0]] || [[], []];
        const quoted = new Set(quotes(e));
        for (const [key, value, q] of ctx.factRows(values, data.eprops)) {
          card.append(kv(key, value));
          if (q >= 0 && !quoted.has(q)) card.append(quoteOf(q));
          quoted.add(q);
        }
        for (const [p, zh, en] of related) card.append(kv(data.eprops[p][state.lang === "zh" ? 1 : 2] || data.eprops[p][0], state.lang === "zh" ? zh : en));
        if (d.fact) card.append(lightButton(data.edetails[data.edetail[e]][0]));
        body.append(card);
      } else body.append(kv(t("date"), dateOf(e, d)));
      const ids = quotes(e);
      const box = el("div", undefined, "evidence-list");
      box.append(el("h4", t("evidence")));
      const sources = new Set(ids.map((q) => data.quotes[q].source || data.quotes[q].url).filter(Boolean));
      if (sources.size) box.append(el("p", t("sources")(sources.size), "sources"));
      for (const q of ids) box.append(quoteOf(q));
      if (data.ecurated.includes(e)) box.append(el("p", t("curated"), "curated"));
      body.append(box);
      const others = byPair(s, o).filter((x) => x !== e);
      if (others.length) {
        const list = el("ul", undefined, "between");
        for (const x of others) {
          const item = el("li");
          const [a] = ends(x);
          item.append(a === s ? "→ " : "← ", edgeButton(x));
          list.append(item);
        }
        body.append(el("h4", words().between + " (" + others.length + ")"), list);
      }
      ctx.remember();
      renderer.refresh();
    }

    function byPair(s, o) {
      const found = [];
      for (const x of ctx.byNode[s]) {
        const e = x / 4;
        const [a, b] = ends(e);
        if ((a === s && b === o) || (a === o && b === s)) found.push(e);
      }
      return found;
    }

    /** The drawn edge nearest the viewport point p within REACH pixels (-1: none). */
    function at(p) {
      const here = renderer.viewportToFramedGraph(p);
      const origin = renderer.viewportToFramedGraph({ x: 0, y: 0 });
      const step = renderer.viewportToFramedGraph({ x: REACH, y: 0 });
      let best = Math.hypot(step.x - origin.x, step.y - origin.y);
      let found = -1;
      for (let e = 0; e < ctx.edgeShown.length; e++) {
        if (!ctx.edgeShown[e]) continue;
        const shown = renderer.getEdgeDisplayData(String(e));
        if (!shown || shown.hidden) continue;
        const [s, o] = ends(e);
        const a = renderer.getNodeDisplayData(String(s));
        const b = renderer.getNodeDisplayData(String(o));
        const [dx, dy] = [b.x - a.x, b.y - a.y];
        const length = dx * dx + dy * dy;
        const k = length ? Math.max(0, Math.min(1, ((here.x - a.x) * dx + (here.y - a.y) * dy) / length)) : 0;
        const gap = Math.hypot(here.x - a.x - k * dx, here.y - a.y - k * dy);
        if (gap < best) [best, found] = [gap, e];
      }
      return found;
    }

    /** The edge's tooltip, as the small explorer's: its ends, caption, fact and first quote. */
    function tip(e) {
      const [s, o] = ends(e);
      const d = detail(e);
      const first = data.quotes[data.edges[4 * e + 3]];
      const said = !first ? "" : first.tier === "cited" ? t("cited") + ": " + (first.publisher || first.url || "") : "“" + (first.quote || "") + "”";
      return [name(s) + " → " + name(o), caption(e), d["label_" + state.lang], ctx.curated.has(e) ? t("curated") : said].filter(Boolean).join("\n");
    }

    /** The edge's name in the address (explorer-url.js). */
    function key(e) {
      const [s, o] = ends(e).map((i) => data.ids[i]);
      return KgUrl.edgeKey({ from: s, relation: data.relations[data.edges[4 * e + 2]][0], to: o, fact: detail(e).fact });
    }
    /** The edge an address names (-1: none). */
    function find(wanted) {
      for (let e = 0; e < data.edetail.length; e++) if (key(e) === wanted) return e;
      return -1;
    }
    /** The first edge that draws the fact `fact` (a CURIE; -1: none). */
    function factEdge(fact) {
      const k = data.estrings.indexOf(fact);
      if (k <= 0) return -1;
      return data.edetail.findIndex((d) => d >= 0 && data.edetails[d][0] === k);
    }

    return { show, at, tip, key, find, factEdge, button: edgeButton };
  }

  window.KgLargeEdges = { install };
})();
