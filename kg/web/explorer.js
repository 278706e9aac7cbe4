/* The zhipu-kg explorer. Every piece of data reaches the page through textContent or
   document.createTextNode: labels, aliases, quotes and tooltips are text, never markup. */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("kg-data").textContent);
  const { I18N, GLYPHS, el } = window.KgText; // explorer-text.js
  const asked = window.KgUrl.read(); // the view the address records (explorer-url.js)

  const state = {
    lang: asked.lang || (DATA.lang === "en" ? "en" : "zh"),
    hidden: new Set(asked.hidden.filter((c) => DATA.classes.some((k) => k.class === c))),
    sizeBy: asked.size || "degree",
    selection: null,
  };
  const nodeById = new Map(DATA.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(DATA.edges.map((e) => [e.id, e]));
  const incident = new Map(DATA.nodes.map((n) => [n.id, []]));
  const edgesOfFact = new Map();
  for (const e of DATA.edges) {
    incident.get(e.from).push(e);
    if (e.to !== e.from) incident.get(e.to).push(e);
    if (e.fact) {
      if (!edgesOfFact.has(e.fact)) edgesOfFact.set(e.fact, []);
      edgesOfFact.get(e.fact).push(e.id);
    }
  }
  const dates = Array.from(
    new Set(
      DATA.edges.map((e) => e.date_start)
        .concat(DATA.nodes.map((n) => n.date_start || ""))
        .concat(Object.values(DATA.facts).map((f) => f.date_start))
        .concat(Object.values(DATA.quotes).map((q) => q.reported || ""))
        .filter(Boolean),
    ),
  ).sort();
  // the last date on or before `value` (null: all dates), as the slider counts
  function dateIndexOf(value) {
    if (value === null) return dates.length;
    const index = dates.findIndex((d) => d > value);
    return index === -1 ? dates.length : Math.max(index - 1, 0);
  }
  let dateIndex = dateIndexOf(asked.date);
  const dated = Object.values(DATA.facts)
    .filter((f) => f.date_start)
    .sort((a, b) => (a.date_start + a.id < b.date_start + b.id ? -1 : 1));
  const big = DATA.nodes.length > 1000;

  // ------------------------------------------------------------ small helpers (text only)
  const $ = (id) => document.getElementById(id);
  const t = (key) => I18N[state.lang][key];
  const label = (o) => o["label_" + state.lang] || o.label_zh || o.label_en || o.id;
  const otherLabel = (o) => o[state.lang === "zh" ? "label_en" : "label_zh"] || "";
  const amount = (o) => o["amount_" + state.lang] || "";
  const classLabel = (o) => o["class_label_" + state.lang] || o.class || "";
  const familyLabel = (o) => o["family_label_" + state.lang] || o.family || "";

  // ------------------------------------------------------------ visibility by class and date
  const cutoff = () => (dateIndex < dates.length ? dates[dateIndex] : null);
  // hidden after the cutoff: what had not happened yet, or was not yet reported
  function isFuture(dateStart, reported) {
    const c = cutoff();
    return c !== null && ((Boolean(dateStart) && dateStart > c) || (Boolean(reported) && reported > c));
  }
  // "reported": when a fact was surely first reported, as kg query --as-of reads it ("": always)
  const factReported = (id) => (DATA.facts[id] || {}).reported;
  const nodeHidden = (n) =>
    state.hidden.has(n.class) || (n.kind === "fact" && isFuture(n.date_start, factReported(n.fact)));
  const edgeHidden = (e) =>
    isFuture(e.date_start, e.reported) ||
    nodeHidden(nodeById.get(e.from)) ||
    nodeHidden(nodeById.get(e.to));

  // ------------------------------------------------------------ vis-network data
  function textTooltip(lines) {
    return el("div", { className: "tooltip" }, lines.filter(Boolean).join("\n"));
  }
  function edgeCaption(e) {
    const head = [label(e), amount(e)].filter(Boolean).join(" ");
    return [head, e.date].filter(Boolean).join(" · ");
  }
  function firstQuote(ids) {
    const quote = ids.length ? DATA.quotes[ids[0]] : null;
    return quote ? "“" + quote.quote + "”" : "";
  }
  function nodeTooltip(n) {
    return textTooltip([
      label(n),
      otherLabel(n) !== label(n) ? otherLabel(n) : "",
      classLabel(n),
      n.aliases.length ? t("aliases") + ": " + n.aliases.join(", ") : "",
      n.kind === "class" ? t("members") + ": " + n.count.toLocaleString() : "",
    ]);
  }
  function draftOnly(ids) {
    return ids.length > 0 && ids.every((id) => (DATA.quotes[id] || {}).draft);
  }
  function edgeTooltip(e) {
    const fact = e.fact ? DATA.facts[e.fact] : null;
    return textTooltip([
      label(nodeById.get(e.from)) + " → " + label(nodeById.get(e.to)),
      edgeCaption(e),
      fact ? label(fact) : "",
      e.curated ? t("curated") : firstQuote(fact ? fact.evidence : e.evidence),
    ]);
  }
  function sizeOf(n) {
    return DATA.mode === "aggregated" ? n.count : n.score[state.sizeBy];
  }
  function visNode(n) {
    const style = styleOf(n);
    return {
      id: n.id,
      label: "", // the level of detail (explorer-sight.js) writes the labels that fit
      title: nodeTooltip(n),
      shape: style.shape,
      color: { background: style.color, border: "#333", highlight: { background: style.color, border: "#000" } },
      value: sizeOf(n),
      x: n.x,
      y: n.y,
      hidden: nodeHidden(n),
    };
  }
  function visEdge(e) {
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      label: " ", // the level of detail (explorer-sight.js) writes the labels that fit
      title: edgeTooltip(e),
      dashes: e.curated || draftOnly(e.fact ? DATA.facts[e.fact].evidence : e.evidence),
      color: draftOnly(e.fact ? DATA.facts[e.fact].evidence : e.evidence) ? { color: "#d48806" } : undefined,
      hidden: edgeHidden(e),
      smooth: e.curve ? { enabled: true, type: "curvedCW", roundness: e.curve } : false,
      width: DATA.mode === "aggregated" ? 1 + Math.log10(1 + (e.count || 1)) * 2 : 1,
    };
  }

  const shownHidden = new Map();
  for (const n of DATA.nodes) shownHidden.set(n.id, nodeHidden(n));
  for (const e of DATA.edges) shownHidden.set(e.id, edgeHidden(e));

  // ------------------------------------------------------------ first sight and level of detail
  // The opening view is fitted and labelled before vis-network exists (explorer-sight.js), so
  // its nodes are built once, labelled.
  const SCALING = { min: 8, max: 42 };
  const styleOf = (n) => DATA.families[n.family] || { color: "#8d99ae", shape: "dot" };
  const importance = (n) => (DATA.mode === "aggregated" ? n.count : n.score[state.sizeBy]);
  // the entities the project's brief names are labelled first, in its order (kg/network/style.py)
  const first = new Map((DATA.first || []).map((id, rank) => [id, rank]));
  const rankOf = (n) => (first.has(n.id) ? first.get(n.id) : first.size);
  const opening = new Map();
  const openingEdges = new Map();
  let edgeSet = null; // the edges' vis.DataSet, once it exists
  const sight = window.KgSight.install(
    window.KgSight.preview($("graph"), DATA.nodes.map((n) => ({ id: n.id, x: n.x, y: n.y, shape: styleOf(n).shape, value: sizeOf(n) })), SCALING.min, SCALING.max),
    { update: (labels) => labels.forEach((l) => opening.set(l.id, l)) },
    () => DATA.nodes.filter((n) => !shownHidden.get(n.id)).sort((a, b) => rankOf(a) - rankOf(b) || importance(b) - importance(a) || (a.id < b.id ? -1 : 1)).map((n) => n.id),
    (id) => label(nodeById.get(id)),
    {
      // straight edges, the best-evidenced first (a curved edge's label shows in its tooltip)
      order: () => DATA.edges.filter((e) => !shownHidden.get(e.id) && !e.curve).sort((a, b) => b.evidence.length - a.evidence.length || (a.id < b.id ? -1 : 1)).map((e) => e.id),
      ends: (id) => [edgeById.get(id).from, edgeById.get(id).to],
      text: (id) => edgeCaption(edgeById.get(id)),
      write: (updates) => (edgeSet ? edgeSet.update(updates) : updates.forEach((u) => openingEdges.set(u.id, u))),
    },
  );
  // first the panels and the timeline below: their texts settle the canvas's size
  applyTexts();
  renderCounts();
  renderTimeline();
  sight.fit();

  const nodes = new vis.DataSet(DATA.nodes.map((n) => Object.assign(visNode(n), opening.get(n.id))));
  const edges = new vis.DataSet(DATA.edges.map((e) => Object.assign(visEdge(e), openingEdges.get(e.id))));
  edgeSet = edges;
  const network = new vis.Network(
    $("graph"),
    { nodes: nodes, edges: edges },
    {
      physics: false,
      layout: { randomSeed: DATA.seed, improvedLayout: false },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
      nodes: {
        borderWidth: 1,
        font: { size: 14, face: "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
        scaling: { min: SCALING.min, max: SCALING.max, label: { enabled: false } },
      },
      edges: {
        arrows: { to: { enabled: true, scaleFactor: 0.5 } },
        color: { color: "#9aa5b1", highlight: "#d1495b", hover: "#d1495b" },
        font: { size: 10, face: "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif", align: "horizontal", color: "#444", strokeWidth: 3 },
        scaling: { label: { drawThreshold: 9 } },
        selectionWidth: 2,
      },
    },
  );

  sight.attach(network, nodes);
  function neighbours(id) {
    return Array.from(new Set(incident.get(id).filter((e) => !edgeHidden(e)).map((e) => (e.from === id ? e.to : e.from))));
  }
  // the node, its neighbours and its own edges: a neighbour's other edges stay unlit
  function expand(id) {
    const around = neighbours(id);
    const own = incident.get(id).filter((e) => !edgeHidden(e)).map((e) => e.id);
    network.setSelection({ nodes: [id, ...around], edges: own }, { unselectAll: true, highlightEdges: false });
    sight.pin([id, ...around]);
  }
  function focusView(id) {
    expand(id);
    sight.fit([id, ...neighbours(id)]);
    showNode(id);
  }
  function resetView() {
    network.unselectAll();
    sight.unpin();
    sight.fit();
    showHint();
  }
  function record() {
    window.KgUrl.write({
      lang: state.lang,
      hidden: Array.from(state.hidden),
      date: cutoff(),
      selection: state.selection,
      factOf: (id) => (edgeById.get(id) || {}).fact,
      edgeOf: (id) => window.KgUrl.edgeKey(edgeById.get(id)),
      sizeBy: state.sizeBy,
    });
  }

  function changed(items, hiddenOf) {
    const updates = [];
    for (const item of items) {
      const hidden = hiddenOf(item);
      if (shownHidden.get(item.id) !== hidden) {
        shownHidden.set(item.id, hidden);
        updates.push({ id: item.id, hidden: hidden });
      }
    }
    return updates;
  }

  function renderCounts() {
    const shown = DATA.nodes.filter((n) => !shownHidden.get(n.id)).length;
    $("counts").textContent =
      t("shown") + ": " + shown.toLocaleString() + " / " + DATA.nodes.length.toLocaleString();
  }
  function refresh() {
    nodes.update(changed(DATA.nodes, nodeHidden));
    edges.update(changed(DATA.edges, edgeHidden));
    sight.update();
    renderCounts();
    renderTimeline();
    record();
  }

  // ------------------------------------------------------------ details panel (explorer-details.js)
  const { showNode, showEdge, showFact, showHint, showRanking, showPath, showMiss, rerenderSelection } = window.KgDetails.install({
    data: DATA,
    state: state,
    network: network,
    el: el,
    t: t,
    label: label,
    otherLabel: otherLabel,
    amount: amount,
    classLabel: classLabel,
    familyLabel: familyLabel,
    nodeById: nodeById,
    edgeById: edgeById,
    incident: incident,
    edgesOfFact: edgesOfFact,
    edgeHidden: edgeHidden,
    edgeCaption: edgeCaption,
    focusNode: focusNode,
    lookup: (text, partial) => search.lookup(text, partial),
    changed: () => record(),
  });

  // ------------------------------------------------------------ search (explorer-search.js)
  const search = window.KgSearch.install(DATA, nodeById, (id) => incident.get(id).length);
  function fillSuggestions() {
    // the search box's suggestions are not part of the first view: filled once it is drawn
    $("search-options").replaceChildren(...search.options().map((text) => el("option", { value: text })));
  }
  function focusNode(id) {
    const n = nodeById.get(id);
    if (!n) return;
    if (state.hidden.has(n.class)) {
      state.hidden.delete(n.class);
      renderLegend();
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    sight.pin([id]);
    showNode(id);
  }
  $("search").addEventListener("input", (ev) => {
    const id = search.lookup(ev.target.value, false);
    if (id) focusNode(id);
  });
  // Enter: the name, a name that starts with or holds it, or a miss with the closest names
  $("search").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || !ev.target.value.trim()) return;
    const id = search.lookup(ev.target.value, true);
    if (id) focusNode(id);
    else showMiss(ev.target.value, search.suggest(ev.target.value));
  });

  // ------------------------------------------------------------ legend and class filter
  function renderLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    for (const [family, style] of Object.entries(DATA.families)) {
      const classes = DATA.classes.filter((c) => c.family === family);
      if (!classes.length) continue;
      const total = classes.reduce((sum, c) => sum + c.count, 0);
      legend.appendChild(
        el(
          "div",
          { className: "family", "data-family": family },
          el("span", { className: "glyph", style: "color:" + style.color }, GLYPHS[style.shape] || "●"),
          familyLabel(classes[0]) + " (" + total.toLocaleString() + ")",
        ),
      );
      for (const c of classes) {
        const box = el("input", { type: "checkbox", "data-class": c.class });
        box.checked = !state.hidden.has(c.class);
        box.addEventListener("change", () => {
          if (box.checked) state.hidden.delete(c.class);
          else state.hidden.add(c.class);
          refresh();
        });
        legend.appendChild(el("label", { className: "class-row" }, box, classLabel(c) + " (" + c.count.toLocaleString() + ")"));
      }
    }
  }
  function showClasses(all) {
    state.hidden = new Set(all ? [] : DATA.classes.map((c) => c.class));
    renderLegend();
    refresh();
  }
  $("classes-all").addEventListener("click", () => showClasses(true));
  $("classes-none").addEventListener("click", () => showClasses(false));

  // ------------------------------------------------------------ timeline and date slider
  function renderTimeline() {
    const list = $("timeline");
    list.replaceChildren();
    for (const f of dated) {
      list.appendChild(
        el(
          "li",
          { className: isFuture(f.date_start, factReported(f.id)) ? "future" : "", "data-fact": f.id },
          el("span", { className: "date" }, f.date),
          el("button", { className: "link", type: "button", onclick: () => showFact(f.id) }, label(f)),
          amount(f) ? " · " + amount(f) : "",
        ),
      );
    }
    $("date-label").textContent = cutoff() || t("allDates");
  }
  const slider = $("date-slider");
  slider.max = String(dates.length);
  slider.value = String(dateIndex);
  slider.addEventListener("input", () => {
    dateIndex = Number(slider.value);
    refresh();
  });
  function setDate(value) {
    dateIndex = dateIndexOf(value);
    slider.value = String(dateIndex);
    refresh();
  }

  $("path-go").addEventListener("click", () => showPath($("path-from").value, $("path-to").value));
  $("size-by").value = state.sizeBy; // as the address asked
  $("size-by").addEventListener("change", (ev) => {
    state.sizeBy = ev.target.value;
    record();
    nodes.update(DATA.nodes.map((n) => ({ id: n.id, value: sizeOf(n) })));
    sight.update();
    if (state.selection && state.selection.kind === "ranking") showRanking();
  });
  $("ranking").addEventListener("click", showRanking);

  // ------------------------------------------------------------ language
  function applyTexts() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n === "betweenness" && DATA.betweenness_sample ? "betweennessEstimated" : node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
    const notice = $("notice");
    const message = DATA["message_" + state.lang] || (DATA.mode === "focus" ? t("focusNotice") : "");
    notice.textContent = message;
    notice.hidden = !message;
    renderLegend();
  }
  function applyLanguage() {
    applyTexts();
    refresh();
    rerenderSelection();
  }
  function setLang(lang) {
    state.lang = lang === "en" ? "en" : "zh";
    nodes.update(DATA.nodes.map((n) => ({ id: n.id, title: nodeTooltip(n) })));
    sight.relabel();
    edges.update(DATA.edges.map((e) => ({ id: e.id, title: edgeTooltip(e) })));
    applyLanguage();
  }
  $("lang-toggle").addEventListener("click", () => setLang(state.lang === "zh" ? "en" : "zh"));
  $("reset-view").addEventListener("click", resetView);
  const exporter = window.KgExport.install(network, "zhipu-kg"); // explorer-export.js

  const api = {
    network: network, nodes: nodes, edges: edges, // vis-network and its data sets
    data: DATA,
    dates: dates,
    state: state,
    ready: false,
    setLang: setLang,
    setDate: setDate,
    focusNode: focusNode,
    showPath: showPath,
    resetView: resetView,
    expand: expand,
    focusView: focusView,
    suggest: (text) => search.suggest(text),
    svg: () => exporter.svg(),
    visibleNodeIds: () => nodes.get({ filter: (n) => !n.hidden }).map((n) => n.id),
    visibleEdgeIds: () => edges.get({ filter: (e) => !e.hidden }).map((e) => e.id),
  };
  window.kgExplorer = api;
  network.on("click", (params) => {
    if (params.nodes.length) {
      expand(params.nodes[0]);
      showNode(params.nodes[0]);
    } else if (params.edges.length) showEdge(params.edges[0]);
  });
  network.on("doubleClick", (params) => {
    if (params.nodes.length) focusView(params.nodes[0]);
  });
  // the selection the address records (the language, filters and date are already applied)
  const askedEdge = DATA.edges.find((e) => window.KgUrl.edgeKey(e) === asked.edge);
  if (asked.node && nodeById.has(asked.node)) focusView(asked.node);
  else if (asked.fact && DATA.facts[asked.fact]) showFact(asked.fact);
  else if (asked.from && asked.to) showPath(asked.from, asked.to);
  else if (askedEdge) showEdge(askedEdge.id);
  else if (asked.panel === "ranking") showRanking();
  else showHint();
  network.once("afterDrawing", () => {
    requestAnimationFrame(() => {
      api.ready = true;
      api.readyAt = performance.now();
      window.setTimeout(fillSuggestions, 0);
    });
  });
})();
