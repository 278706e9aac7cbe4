// The explorer for large graphs: every node drawn with sigma.js (WebGL) on a graphology graph.
// The data comes in columns (kg/explore/large.py); positions are precomputed and seeded in
// Python. Its parts: class filters and the timeline (explorer-large-filters.js), paths
// (explorer-large-paths.js), communities (explorer-large-communities.js), edge details
// (explorer-large-edges.js), size-by and the centrality ranking (explorer-large-ranking.js), the
// tooltip (explorer-large-hover.js) and image export (explorer-large-export.js). Every text is
// written with textContent, never markup.
"use strict";

(function () {
  performance.mark("kg-start"); // the split of the time to the first view (bench_viz.py reads it)
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  performance.mark("kg-data");
  const RESOURCE = "https://w3id.org/zhipu-kg/resource/"; // ids under it come as kgr: CURIEs
  data.ids = data.ids.map((id) => (id.startsWith("kgr:") ? RESOURCE + id.slice(4) : id));
  // the panels' columns (kg/explore/large_panels.py), empty where the data has none (an outline
  // drawn before its projection is built has no aliases, edge details or PageRank yet)
  const noDetails = { aliases: {}, edetails: [], estrings: [""], efacts: {}, eprops: [], emore: {}, ecurated: [], pagerank: null };
  for (const [key, empty] of Object.entries(noDetails)) if (!(key in data)) data[key] = empty;
  if (!data.edetail) data.edetail = new Array(data.edges.length / 4).fill(-1);
  const SHARED = window.KgText.I18N; // the small explorer's words (explorer-text.js)
  const OWN = {
    zh: {
      search: "搜索名称…", go: "查找", allClasses: "全部类别", legend: "类别(勾选显示,点名称进入)", details: "详情",
      hint: "点击节点查看详情。", klass: "类别", facts: "事实", unnamed: "(无类别)", relations: "关系",
      noMatch: "没有找到:", more: "另有 {n} 条关系未列出。", nodes: "个节点", earlier: "再列出更早的 {n} 条",
    },
    en: {
      search: "Search a name…", go: "Find", allClasses: "All classes", legend: "Classes (tick to show, click a name to go in)",
      details: "Details", hint: "Click a node to see its details.", klass: "Class", facts: "Facts",
      unnamed: "(no class)", relations: "Relations", noMatch: "No match for: ",
      more: "{n} more relations not listed.", nodes: "nodes", earlier: "List {n} earlier",
    },
  };
  const TEXT = { zh: { ...SHARED.zh, ...OWN.zh }, en: { ...SHARED.en, ...OWN.en } };
  const SHOWN = 60;
  const SUGGESTED = 12; // names the search boxes suggest as one types
  const count = data.ids.length;
  const asked = KgUrl.read(); // the view the address records (explorer-url.js)
  const state = {
    lang: asked.lang || (data.lang === "en" ? "en" : "zh"),
    selected: -1, // the node whose details are shown
    around: new Set(), // its neighbours, lit with it
    klass: -1, // the class gone into from the legend
    community: -1, // the community drilled into
    hidden: new Set(), // classes filtered out (indices into data.classes)
    cutoff: null, // the timeline's date: what came after it is hidden (null: all dates)
    path: null, // {from, to, edges: Set of edge indices, nodes: Set}
    lit: { edges: new Set(), nodes: new Set() }, // a fact's edges lit from its card
    edge: -1, // the edge whose details are shown
    ranking: false, // the centrality ranking is shown
    miss: null, // the name not found whose closest names are shown
    sizeBy: "degree", // what sizes the nodes: degree or pagerank (explorer-large-ranking.js)
  };
  // what the filters leave drawn (explorer-large-filters.js fills them)
  const nodeShown = new Uint8Array(count).fill(1);
  const edgeShown = new Uint8Array(data.edges.length / 4).fill(1);
  const byNode = Array.from({ length: count }, () => []);
  for (let e = 0; e < data.edges.length; e += 4) {
    byNode[data.edges[e]].push(e);
    if (data.edges[e + 1] !== data.edges[e]) byNode[data.edges[e + 1]].push(e);
  }

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  const t = (key) => TEXT[state.lang][key];

  const graph = new graphology.MultiDirectedGraph();
  for (let i = 0; i < count; i++) {
    graph.addNode(String(i), {
      x: data.x[i],
      y: data.y[i],
      size: 2 + 1.5 * Math.sqrt(data.degree[i]),
      color: data.classes[data.cls[i]].color,
      label: data[state.lang][i],
    });
  }
  // an edge only a draft proposal quotes drawn orange, one the curators added with no quote
  // blue-grey (the small explorer dashes them); the legend says so (explorer-large-filters.js)
  const curated = new Set(data.ecurated);
  const draftOnly = (e) => data.edges[4 * e + 3] >= 0 && data.quotes[data.edges[4 * e + 3]].draft && (data.emore[e] || []).every((q) => data.quotes[q].draft);
  const EDGE = { plain: "#d5d5d5", draft: "#d48806", curated: "#8fa3bf" };
  for (let e = 0; e < data.edges.length; e += 4) {
    const color = curated.has(e / 4) ? EDGE.curated : draftOnly(e / 4) ? EDGE.draft : EDGE.plain;
    graph.addEdgeWithKey(String(e / 4), String(data.edges[e]), String(data.edges[e + 1]), { size: 0.5, color });
  }

  performance.mark("kg-graph");
  // After a change the camera moves first, then sigma reads the reducers below and draws once
  // (a drawing cancels the one the camera asked for): 10⁵ items cost seconds in software.
  const DIM = { color: "#eeeeee", label: "", zIndex: 0 };
  texts(); // first: the page's words settle the graph's room, which sigma measures once
  const container = document.getElementById("graph");
  const renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: 5,
    labelDensity: 0.5,
    labelGridCellSize: 120,
    zIndex: true,
    hideEdgesOnMove: true,
    hideLabelsOnMove: data.ids.length > 20000,
    // nodes as round GL points and the thin edges as 1-pixel lines, a lit edge, wider, as a
    // rectangle: software WebGL (SwiftShader, as in headless Chromium) draws 10⁵ points in a
    // tenth of the time the default's instanced circles take, lines in 4/5 of the rectangles'
    nodeProgramClasses: { circle: Sigma.rendering.NodePointProgram },
    edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram, wide: Sigma.rendering.EdgeRectangleProgram },
    // sigma hands each reducer a copy of the item's attributes: it is changed in place, not copied
    nodeReducer(node, attrs) {
      const i = Number(node);
      if (!nodeShown[i]) return Object.assign(attrs, { hidden: true });
      if (i === state.selected) return Object.assign(attrs, { highlighted: true, zIndex: 3, forceLabel: true });
      if ((state.path && state.path.nodes.has(i)) || state.lit.nodes.has(i)) return Object.assign(attrs, { zIndex: 2, forceLabel: true });
      if (state.edge >= 0 && (data.edges[4 * state.edge] === i || data.edges[4 * state.edge + 1] === i)) return Object.assign(attrs, { zIndex: 2, forceLabel: true });
      if (state.around.has(i)) return Object.assign(attrs, { zIndex: 2, forceLabel: state.around.size <= SHOWN });
      if (state.klass >= 0 && data.cls[i] !== state.klass) return Object.assign(attrs, DIM);
      if (state.community >= 0 && data.com[i] !== state.community) return Object.assign(attrs, DIM);
      attrs.zIndex = 1;
      return attrs;
    },
    edgeReducer(edge, attrs) {
      const e = Number(edge);
      if (!edgeShown[e]) return Object.assign(attrs, { hidden: true });
      if (e === state.edge || state.lit.edges.has(e) || (state.path && state.path.edges.has(e))) return Object.assign(attrs, { color: "#d1495b", size: 3, zIndex: 2, type: "wide" });
      if (state.selected >= 0 && (data.edges[4 * e] === state.selected || data.edges[4 * e + 1] === state.selected)) return Object.assign(attrs, { color: "#d1495b", zIndex: 1 });
      if (state.klass >= 0) return Object.assign(attrs, { hidden: true });
      if (state.community >= 0) {
        const inside = data.com[data.edges[4 * e]] === state.community && data.com[data.edges[4 * e + 1]] === state.community;
        return inside ? attrs : Object.assign(attrs, { hidden: true });
      }
      return attrs;
    },
  });

  performance.mark("kg-drawn"); // sigma drew the first frame as it was made
  const name = (i) => data[state.lang][i];
  const classLabel = (c) => data.classes[c]["class_label_" + state.lang] || data.classes[c].class || t("unnamed");
  const relationLabel = (r) => data.relations[r][state.lang === "zh" ? 1 : 2] || data.relations[r][0];
  // a quote with its place in the source, or a public report's citation (never its words)
  function quoteOf(q) {
    const row = data.quotes[q];
    const box = el("div", undefined, "evidence");
    if (row.tier === "cited") {
      const said = [row.publisher, row.published].filter(Boolean).join(", ");
      const line = el("div", t("cited") + ": " + said + (said && row.url ? ", " : ""), "citation");
      if (/^https?:\/\//.test(row.url || "")) {
        const link = el("a", row.url);
        Object.assign(link, { href: row.url, rel: "noopener noreferrer nofollow", target: "_blank" });
        line.append(link);
      } else if (row.url) line.append(row.url);
      box.append(line);
      if (row.locator) box.append(el("cite", row.locator));
      return box;
    }
    box.append(el("blockquote", row.quote || ""));
    const where = row.start !== undefined ? " · " + t("offsets") + " " + row.start + "–" + row.end : "";
    box.append(el("cite", t("quoted") + (row.source ? " · " + row.source : "") + where + (row.draft ? " · " + t("draft") : "")));
    return box;
  }
  // the camera's state that shows every node of `members` (framed coordinates, 0 to 1)
  function frame(members) {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const i of members) {
      const at = renderer.getNodeDisplayData(String(i));
      [x0, y0, x1, y1] = [Math.min(x0, at.x), Math.min(y0, at.y), Math.max(x1, at.x), Math.max(y1, at.y)];
    }
    if (x0 === Infinity) return { x: 0.5, y: 0.5, ratio: 1 };
    const ratio = Math.min(1, Math.max(0.02, 1.2 * Math.max(x1 - x0, y1 - y0)));
    return { x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio };
  }
  const nodeButton = (i) => {
    const button = el("button", name(i), "link");
    button.type = "button";
    button.dataset.node = String(i);
    button.addEventListener("click", () => select(i, true));
    return button;
  };

  function highlightClass(c) {
    state.klass = c;
    state.community = -1;
    parts.filters.legend();
    const members = [];
    if (c >= 0) for (let i = 0; i < count; i++) if (data.cls[i] === c) members.push(i);
    renderer.getCamera().setState(c < 0 ? { x: 0.5, y: 0.5, ratio: 1 } : frame(members));
    renderer.refresh();
    remember();
  }

  // A node's values as the small explorer shows them (explorer-details.js): a property's values
  // in the page's language (in either when none is); a claim's words (schema:text) both, the
  // article's and the curators' English translation, each called what it is.
  // (`table`: the properties the rows point into, [CURIE, label_zh, label_en] each)
  function factRows(facts, table = data.relations) {
    const label = (p) => table[p][state.lang === "zh" ? 1 : 2] || table[p][0];
    const rows = [];
    for (const p of new Set(facts.map(([r]) => r))) {
      const values = facts.filter(([r]) => r === p);
      if (table[p][0] === "schema:text") {
        const wording = (lang) => (lang === "zh" ? t("articleWords") : lang === "en" ? t("translation") : label(p));
        const order = (lang) => (lang === "zh" ? 0 : lang === "en" ? 1 : 2);
        values.sort((a, b) => order(a[2]) - order(b[2]));
        for (const [, value, lang, q] of values) rows.push([wording(lang), value, q]);
        continue;
      }
      const own = values.filter(([, , l]) => l === state.lang);
      const plain = values.filter(([, , l]) => !l);
      const chosen = own.length ? own : plain.length ? plain : values.filter(([, , l]) => l === values[0][2]);
      for (const [, value, , q] of chosen) rows.push([label(p), value, q]);
    }
    return rows;
  }

  function details() {
    const body = $("details-body");
    body.replaceChildren();
    const i = state.selected;
    if (i < 0) {
      body.append(el("p", t("hint"), "muted"));
      return;
    }
    body.append(el("h3", name(i)));
    const other = state.lang === "zh" ? "en" : "zh";
    if (data[other][i] !== name(i)) body.append(el("p", data[other][i]));
    if (data.aliases[i]) body.append(el("p", t("aliases") + ": " + data.aliases[i].join(", ")));
    body.append(el("p", t("klass") + ": " + classLabel(data.cls[i])));
    body.append(el("p", data.ids[i], "muted"));
    const facts = factRows(data.facts[i] || []);
    if (facts.length) {
      body.append(el("h4", t("facts")));
      const list = el("ul");
      for (const [key, value, q] of facts) {
        const item = el("li", key + ": " + value, "fact");
        if (q >= 0) item.append(quoteOf(q));
        list.append(item);
      }
      body.append(list);
    }
    body.append(el("h4", t("relations") + " (" + byNode[i].length + ")"));
    const list = el("ul");
    for (const e of byNode[i].slice(0, SHOWN)) {
      const [s, o, r, q] = data.edges.slice(e, e + 4);
      const item = el("li");
      item.dataset.edge = String(e / 4);
      const link = el("button", name(s) + " — " + relationLabel(r) + " → " + name(o), "link");
      link.type = "button";
      link.addEventListener("click", () => parts.edges.show(e / 4));
      item.append(link, " ", nodeButton(s === i ? o : s)); // the neighbour, a way there
      if (q >= 0) item.append(quoteOf(q));
      list.append(item);
    }
    body.append(list);
    if (byNode[i].length > SHOWN) {
      body.append(el("p", t("more").replace("{n}", String(byNode[i].length - SHOWN)), "muted"));
    }
  }

  function remember() {
    // the same address as the small explorer's (explorer-url.js): ?lang=…&hide=…&date=…&node=…
    let selection = null;
    if (state.path) selection = { kind: "path", from: state.path.from, to: state.path.to };
    else if (state.edge >= 0) selection = { kind: "edge", id: state.edge };
    else if (state.ranking) selection = { kind: "ranking" };
    else if (state.selected >= 0) selection = { kind: "node", id: data.ids[state.selected] };
    KgUrl.write({
      lang: state.lang,
      hidden: Array.from(state.hidden, (c) => data.classes[c].class),
      date: state.cutoff,
      selection,
      factOf: () => "",
      edgeOf: (e) => parts.edges.key(e),
      sizeBy: state.sizeBy,
      klass: state.klass >= 0 ? data.classes[state.klass].class : null,
      community: state.community >= 0 ? data.ids[data.communities[state.community][3]] : null,
    });
  }

  // what the details panel shows is one thing at a time
  function unselect() {
    Object.assign(state, { selected: -1, around: new Set(), path: null, edge: -1, ranking: false, miss: null });
    state.lit = { edges: new Set(), nodes: new Set() };
  }

  function select(i, focus) {
    unselect();
    state.selected = i;
    // its neighbours and its own edges are lit with it, as in the small explorer
    if (i >= 0) for (const e of byNode[i]) state.around.add(data.edges[e] === i ? data.edges[e + 1] : data.edges[e]);
    state.around.delete(i);
    if (i >= 0 && !nodeShown[i]) parts.filters.reveal(i);
    details();
    remember();
    if (focus && i >= 0) {
      const at = renderer.getNodeDisplayData(String(i));
      renderer.getCamera().setState({ x: at.x, y: at.y, ratio: 0.08 });
    }
    renderer.refresh();
  }

  const find = (query) => parts.search.find(query); // explorer-large-search.js

  function search() {
    const query = $("search").value;
    const i = find(query);
    $("notice").textContent = i < 0 && query.trim() ? t("noMatch") + query : notice();
    if (i >= 0) select(i, true);
    else if (query.trim()) miss(query);
  }

  // a name not found: said so, with the closest names, as kg describe and the small explorer do
  function miss(query) {
    select(-1, false);
    state.miss = query;
    const close = parts.search.suggest(query);
    const line = el("p", close.length ? t("didYouMean") : t("noneClose"), close.length ? "did-you-mean" : "muted");
    close.forEach((i, k) => line.append(k ? " · " : "", nodeButton(i)));
    $("details-body").replaceChildren(el("p", t("notFound") + query, "miss"), line);
  }

  function notice() {
    return data["message_" + state.lang] || count.toLocaleString() + " " + t("nodes");
  }

  function texts() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
    $("notice").textContent = notice();
  }

  let labelled = state.lang; // the language of the nodes' labels in the graph
  function setLang(lang) {
    state.lang = lang;
    if (labelled !== lang) graph.updateEachNodeAttributes((node, attrs) => ({ ...attrs, label: data[lang][Number(node)] }));
    labelled = lang;
    texts();
    parts.filters.legend();
    parts.filters.timeline();
    parts.communities.list();
    parts.ranking.labels();
    rerender();
  }
  // the panel shown, again (in the language just chosen)
  function rerender() {
    if (state.path) parts.paths.show(state.path.from, state.path.to);
    else if (state.edge >= 0) parts.edges.show(state.edge);
    else if (state.ranking) parts.ranking.show();
    else if (state.miss !== null) miss(state.miss);
    else if (state.community >= 0 && state.selected < 0) parts.communities.drill(state.community);
    else details();
    remember();
  }

  const parts = { search: window.KgLargeSearch.install(data) };
  const ctx = { data, state, graph, renderer, EDGE, curated, draftOnly, nodeShown, edgeShown, byNode, count, parts, $, el, t, name, classLabel, relationLabel, quoteOf, frame, nodeButton, select, unselect, find, remember, details, highlightClass, factRows };
  parts.filters = window.KgLargeFilters.install(ctx);
  parts.paths = window.KgLargePaths.install(ctx);
  parts.communities = window.KgLargeCommunities.install(ctx);
  parts.exporter = window.KgLargeExport.install(ctx);
  parts.edges = window.KgLargeEdges.install(ctx);
  parts.ranking = window.KgLargeRanking.install(ctx);
  parts.hover = window.KgLargeHover.install(ctx);

  renderer.on("clickNode", ({ node }) => select(Number(node), false));
  renderer.on("doubleClickNode", ({ node, preventSigmaDefault }) => {
    // the node and its neighbours framed, as the small explorer's double click does
    preventSigmaDefault();
    select(Number(node), false);
    renderer.getCamera().setState(frame([Number(node), ...state.around]));
  });
  renderer.on("clickStage", ({ event }) => {
    const e = parts.edges.at(event); // a click on a drawn edge shows it
    if (e >= 0) parts.edges.show(e);
    else select(-1, false);
  });
  $("search").addEventListener("keydown", (event) => { if (event.key === "Enter") search(); });
  // as one types: the best connected names that hold it; a whole name, picked or typed, is found
  for (const id of ["search", "path-from", "path-to"]) {
    $(id).addEventListener("input", (event) => {
      const names = parts.search.names(event.target.value, SUGGESTED);
      $("search-options").replaceChildren(...names.map((text) => Object.assign(el("option"), { value: text })));
      if (id === "search" && names.includes(event.target.value)) select(find(event.target.value), true);
    });
  }
  $("search-go").addEventListener("click", search);
  $("reset-view").addEventListener("click", () => {
    state.community = -1;
    state.klass = -1;
    renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    select(-1, false);
    parts.filters.legend();
    parts.communities.list();
  });
  $("lang-toggle").addEventListener("click", () => setLang(state.lang === "zh" ? "en" : "zh"));
  // the view the address records: filters, sizes, the class or community gone into, a panel
  parts.filters.restore(asked.hidden, asked.date);
  if (asked.size) parts.ranking.size(asked.size);
  setLang(state.lang);
  const klass = data.classes.findIndex((c) => c.class === asked.klass);
  if (klass >= 0) highlightClass(klass);
  const community = data.communities.findIndex((c) => data.ids[c[3]] === asked.community);
  if (community >= 0) parts.communities.drill(community);
  const edge = asked.edge ? parts.edges.find(asked.edge) : asked.fact ? parts.edges.factEdge(asked.fact) : -1;
  if (asked.node && data.ids.includes(asked.node)) select(data.ids.indexOf(asked.node), true);
  else if (edge >= 0) parts.edges.show(edge);
  else if (asked.panel === "ranking") parts.ranking.show();
  else if (asked.from && asked.to) parts.paths.show(asked.from, asked.to);

  performance.mark("kg-ready");
  window.kgExplorer = {
    ready: true,
    large: true,
    data,
    graph,
    renderer,
    state,
    select: (i) => select(i, true),
    find,
    suggest: (text) => parts.search.suggest(text),
    pixels: parts.exporter.pixels,
    svg: parts.exporter.svg,
    setLang,
    setDate: parts.filters.setDate,
    showPath: parts.paths.show,
    showEdge: parts.edges.show,
    edgeAt: parts.edges.at,
    edgeKey: parts.edges.key,
    sizeBy: parts.ranking.size,
    showRanking: parts.ranking.show,
    bestPath: parts.paths.best,
    drill: parts.communities.drill,
    communityNames: parts.communities.names,
    nodeShown: (i) => nodeShown[i] === 1,
    edgeShown: (e) => edgeShown[e] === 1,
  };
})();
