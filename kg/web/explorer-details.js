/* The zhipu-kg explorer's details panel: a node, an edge or a fact with its quotes, the
   centrality ranking and the path between two entities, ranked by meaning. Everything is
   written with textContent or document.createTextNode (through el), never as markup. */
(function () {
  "use strict";

  /**
   * The panel's views, sharing the explorer's data and state.
   * @param {object} ctx what the explorer shares (see explorer.js)
   * @returns {object} the views: showNode, showEdge, showFact, showHint, showRanking, showPath,
   *   rerenderSelection
   */
  function install(ctx) {
    const { data: DATA, state, network, el, t, label, otherLabel, amount, classLabel, familyLabel } = ctx;
    const { nodeById, edgeById, incident, edgesOfFact, edgeHidden, edgeCaption, focusNode, lookup, changed } = ctx;
    const $ = (id) => document.getElementById(id);

    // ------------------------------------------------------------ details panel
    function quoteCards(ids, curated) {
      if (!ids.length) return curated ? el("div", { className: "card curated" }, t("curated")) : null;
      const box = el("div", {});
      const sources = new Set(ids.map((id) => (DATA.quotes[id] || {}).source).filter(Boolean));
      if (sources.size) box.appendChild(el("div", { className: "sources" }, t("sources")(sources.size)));
      for (const id of ids) {
        const q = DATA.quotes[id] || { quote: "" };
        if (q.tier === "cited") {
          box.appendChild(citedCard(id, q));
          continue;
        }
        const where = q.start !== null && q.start !== undefined ? " · " + t("offsets") + " " + q.start + "–" + q.end : "";
        const mark = q.draft ? " · " + t("draft") : "";
        box.appendChild(el("div", { className: q.draft ? "card draft" : "card" }, el("blockquote", {}, q.quote), el("cite", {}, t("quoted") + " · " + id + where + mark)));
      }
      return box;
    }
    // A cited fact: the public report's publisher, date and a link, never its words.
    function citedCard(id, q) {
      const said = [q.publisher, q.published].filter(Boolean).join(", ");
      const safe = typeof q.url === "string" && /^https?:\/\//.test(q.url);
      const link = safe ? el("a", { href: q.url, rel: "noopener noreferrer nofollow", target: "_blank" }, q.url) : q.url || "";
      return el(
        "div",
        { className: "card cited" },
        el("div", { className: "citation" }, t("cited") + ": " + said + (said ? ", " : ""), link),
        el("cite", {}, id + (q.locator ? " · " + q.locator : ""))
      );
    }
    function kv(key, value) {
      return value ? el("div", { className: "kv" }, el("b", {}, key + ":"), value) : null;
    }
    function nodeButton(id) {
      const n = nodeById.get(id);
      return el("button", { className: "link", type: "button", onclick: () => focusNode(id) }, n ? label(n) : id);
    }
    // A property's values, once: the one in the page's language (a value in either language
    // when none is); a claim's words (schema:text) both, the article's and the curators' English
    // translation, each called what it is.
    function valueRows(facts) {
      const groups = new Map();
      for (const f of facts) {
        if (!groups.has(f.property)) groups.set(f.property, []);
        groups.get(f.property).push(f);
      }
      const rows = [];
      for (const [property, values] of groups) {
        const name = values[0]["label_" + state.lang] || property;
        if (property === "schema:text") {
          const byLang = (lang) => values.filter((v) => v.lang === lang);
          for (const v of [...byLang("zh"), ...byLang("en"), ...values.filter((x) => x.lang !== "zh" && x.lang !== "en")]) {
            const wording = v.lang === "zh" ? t("articleWords") : v.lang === "en" ? t("translation") : name;
            rows.push({ key: wording, value: v.value, items: [v] });
          }
          continue;
        }
        const own = values.filter((v) => v.lang === state.lang);
        const plain = values.filter((v) => !v.lang);
        const chosen = own.length ? own : plain.length ? plain : values.filter((v) => v.lang === values[0].lang);
        rows.push({ key: name, value: chosen.map((v) => v.value).join("; "), items: values });
      }
      return rows;
    }
    function literalList(facts) {
      const list = el("div", {});
      for (const row of valueRows(facts)) {
        list.appendChild(kv(row.key, row.value));
        const ids = Array.from(new Set(row.items.flatMap((v) => v.evidence)));
        const cards = quoteCards(ids, row.items.every((v) => v.curated));
        if (cards) list.appendChild(cards);
      }
      return list;
    }
    function factCard(fid) {
      const f = DATA.facts[fid];
      if (!f) return null;
      const card = el(
        "div",
        { className: "card" + (f.curated ? " curated" : "") },
        el("h3", {}, label(f)),
        kv(t("date"), [f.date, f.date_text].filter(Boolean).join(" · ")),
        kv(t("amount"), amount(f)),
        kv(t("className"), f.class),
      );
      for (const row of valueRows(f.details)) card.appendChild(kv(row.key, row.value));
      for (const r of f.related) card.appendChild(kv(r["property_label_" + state.lang] || r.property, r["label_" + state.lang] || r.fact));
      const cards = quoteCards(f.evidence, f.curated);
      if (cards) card.appendChild(el("div", {}, el("h2", {}, t("evidence")), cards));
      const ids = edgesOfFact.get(fid) || [];
      if (ids.length) {
        card.appendChild(
          el("button", { className: "link", type: "button", onclick: () => network.setSelection({ nodes: [], edges: ids }) }, t("showEdges")),
        );
      }
      return card;
    }
    function show(...children) {
      $("details-body").replaceChildren(...children.filter(Boolean));
      changed();
    }
    function showNode(id) {
      const n = nodeById.get(id);
      if (!n) return;
      state.selection = { kind: "node", id: id };
      const relations = el("ul", { className: "plain" });
      for (const e of incident.get(id)) {
        const other = e.from === id ? e.to : e.from;
        const arrow = e.from === id ? "→ " : "← ";
        relations.appendChild(
          el(
            "li",
            {},
            el("button", { className: "link", type: "button", onclick: () => showEdge(e.id) }, arrow + edgeCaption(e)),
            " ",
            nodeButton(other),
          ),
        );
      }
      show(
        el("h3", {}, label(n)),
        el("div", { className: "muted" }, [otherLabel(n), classLabel(n), familyLabel(n), n.curie].filter(Boolean).join(" · ")),
        n.aliases.length ? kv(t("aliases"), n.aliases.join(", ")) : null,
        n.kind === "class" ? kv(t("members"), n.count.toLocaleString()) : null,
        n.facts.length ? el("h2", {}, t("facts")) : null,
        n.facts.length ? literalList(n.facts) : null,
        n.fact || n.events.length ? el("h2", {}, t("events")) : null,
        n.fact ? factCard(n.fact) : null,
        ...n.events.map(factCard),
        incident.get(id).length ? el("h2", {}, t("relations")) : null,
        relations,
      );
    }
    function showEdge(id) {
      const e = edgeById.get(id);
      if (!e) return;
      state.selection = { kind: "edge", id: id };
      network.setSelection({ nodes: [], edges: [id] });
      show(
        el("h3", {}, edgeCaption(e)),
        el("div", {}, nodeButton(e.from), " → ", nodeButton(e.to)),
        kv(t("relation"), e.relation),
        e.fact ? factCard(e.fact) : el("div", {}, el("h2", {}, t("evidence")), quoteCards(e.evidence, e.curated)),
      );
    }
    function showFact(fid) {
      state.selection = { kind: "fact", id: fid };
      const ids = edgesOfFact.get(fid) || [];
      const holders = DATA.nodes.filter((n) => n.events.includes(fid) || n.fact === fid).map((n) => n.id);
      network.setSelection({ nodes: holders, edges: ids });
      show(factCard(fid), holders.length ? el("div", {}, ...holders.map(nodeButton)) : null);
    }
    function showHint() {
      state.selection = null;
      show(el("p", { className: "muted" }, t("hint")));
    }
    // A name the search box cannot find: said so, with the closest names (ids, best first).
    function showMiss(text, ids) {
      state.selection = { kind: "miss", text: text, ids: ids };
      const buttons = [];
      for (const id of ids) buttons.push(buttons.length ? " · " : "", nodeButton(id));
      show(
        el("p", { className: "miss" }, t("notFound") + text),
        ids.length ? el("p", { className: "did-you-mean" }, t("didYouMean"), ...buttons) : el("p", { className: "muted" }, t("noneClose")),
      );
    }
    function rerenderSelection() {
      const s = state.selection;
      if (!s) showHint();
      else if (s.kind === "node") showNode(s.id);
      else if (s.kind === "edge") showEdge(s.id);
      else if (s.kind === "fact") showFact(s.id);
      else if (s.kind === "ranking") showRanking();
      else if (s.kind === "miss") showMiss(s.text, s.ids);
      else if (s.kind === "path") showPath(s.from, s.to);
    }

    // ------------------------------------------------------------ named views: ranking and path
    function showRanking() {
      state.selection = { kind: "ranking" };
      const top = DATA.nodes
        .filter((n) => n.kind !== "fact")
        .sort((a, b) => b.score[state.sizeBy] - a.score[state.sizeBy] || (a.label_en < b.label_en ? -1 : 1))
        .slice(0, 20);
      const list = el("ol", {});
      for (const n of top) list.appendChild(el("li", {}, nodeButton(n.id), " " + n.score[state.sizeBy].toFixed(3)));
      const sampled = state.sizeBy === "betweenness" && DATA.betweenness_sample;
      show(el("h3", {}, t("rankingTitle") + " · " + t(state.sizeBy)), sampled ? el("p", { className: "muted sampled" }, t("sampled")(DATA.betweenness_sample)) : null, list);
    }
    // The path panel walks the ranking Python made (kg.network.paths.path_table) over what the
    // filters show (explorer-paths.js): with nothing hidden, the first path of `kg path` and of
    // the server's /path, facts before claims; a claim is context.
    const ends = (i) => [DATA.edges[i].from, DATA.edges[i].to];
    const firstPath = (from, to, shown) => window.KgPaths.firstPath(DATA.paths, ends, from, to, shown);
    function showPath(fromText, toText) {
      state.selection = { kind: "path", from: fromText, to: toText };
      const words = DATA.paths.text[state.lang];
      const from = lookup(fromText, true);
      const to = lookup(toText, true);
      if (!from || !to) {
        show(el("p", {}, t("notFound") + (from ? toText : fromText)));
        return;
      }
      const hops = firstPath(from, to, (i) => !edgeHidden(DATA.edges[i]));
      if (!hops) {
        show(el("p", {}, firstPath(from, to, () => true) ? words.hidden : words.none));
        return;
      }
      network.setSelection({ nodes: [from, to], edges: hops.map((i) => DATA.edges[i].id) });
      const list = el("ol", {});
      for (const i of hops) {
        const e = DATA.edges[i];
        const fact = e.fact ? DATA.facts[e.fact] : null;
        const cards = quoteCards(fact ? fact.evidence : e.evidence, e.curated);
        const claim = DATA.paths.kinds[i] === "claim";
        const says = claim && fact ? fact["label_" + state.lang] : "";
        const link = el("button", { className: "link", type: "button", onclick: () => showEdge(e.id) }, claim ? words.claim : edgeCaption(e));
        const item = claim
          ? el("li", { className: "claim" }, link, ": " + says + " (", nodeButton(e.from), " ⋯ ", nodeButton(e.to), ")", cards)
          : el("li", {}, nodeButton(e.from), " —", link, "→ ", nodeButton(e.to), cards);
        list.appendChild(item);
      }
      show(el("h3", {}, words.title + ": " + label(nodeById.get(from)) + " → " + label(nodeById.get(to))), list);
    }

    return {
      showNode: showNode,
      showEdge: showEdge,
      showFact: showFact,
      showHint: showHint,
      showMiss: showMiss,
      showRanking: showRanking,
      showPath: showPath,
      rerenderSelection: rerenderSelection,
    };
  }

  window.KgDetails = { install: install };
})();
