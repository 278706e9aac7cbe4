// The explorer for large graphs: every node drawn with sigma.js (WebGL) on a graphology graph.
// The data comes in columns (kg/explore/large.py); positions are precomputed and seeded in
// Python. Every text is written with textContent, never parsed as markup.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const TEXT = {
    zh: {
      search: "搜索名称…", find: "查找", resetView: "重置视图", otherLanguage: "English",
      legend: "类别(点击进入)", all: "全部类别", details: "详情",
      hint: "点击节点查看详情。", klass: "类别", facts: "事实", none: "(无类别)", relations: "关系",
      noMatch: "没有找到:", more: "另有 {n} 条关系未列出。", nodes: "个节点",
    },
    en: {
      search: "Search a name…", find: "Find", resetView: "Reset view", otherLanguage: "中文",
      legend: "Classes (click to go in)", all: "All classes", details: "Details",
      hint: "Click a node to see its details.", klass: "Class", facts: "Facts", none: "(no class)",
      relations: "Relations", noMatch: "No match for: ", more: "{n} more relations not listed.",
      nodes: "nodes",
    },
  };
  const SHOWN = 60;
  const state = { lang: data.lang === "en" ? "en" : "zh", selected: -1, klass: -1 };
  const count = data.ids.length;
  const byNode = Array.from({ length: count }, () => []);
  for (let e = 0; e < data.edges.length; e += 4) {
    byNode[data.edges[e]].push(e);
    if (data.edges[e + 1] !== data.edges[e]) byNode[data.edges[e + 1]].push(e);
  }

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
  for (let e = 0; e < data.edges.length; e += 4) {
    graph.addEdge(String(data.edges[e]), String(data.edges[e + 1]), { size: 0.5, color: "#d5d5d5" });
  }

  const container = document.getElementById("graph");
  const renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: 5,
    labelDensity: 0.5,
    labelGridCellSize: 120,
    zIndex: true,
    hideEdgesOnMove: true,
    nodeReducer(node, attrs) {
      const i = Number(node);
      if (i === state.selected) return { ...attrs, highlighted: true, zIndex: 2, forceLabel: true };
      if (state.klass >= 0 && data.cls[i] !== state.klass) {
        return { ...attrs, color: "#eeeeee", label: "", zIndex: 0 };
      }
      return { ...attrs, zIndex: 1 };
    },
    edgeReducer(edge, attrs) {
      return state.klass >= 0 ? { ...attrs, hidden: true } : attrs;
    },
  });

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  const t = (key) => TEXT[state.lang][key];
  const classLabel = (c) => data.classes[c]["class_label_" + state.lang] || data.classes[c].class || t("none");

  function legend() {
    const box = $("legend");
    box.replaceChildren();
    const all = el("button", t("all"));
    all.type = "button";
    all.setAttribute("aria-pressed", String(state.klass < 0));
    all.addEventListener("click", () => highlightClass(-1));
    box.append(all);
    const order = data.classes.map((_, c) => c).sort((a, b) => data.classes[b].count - data.classes[a].count);
    for (const c of order) {
      const button = el("button");
      button.type = "button";
      button.dataset.class = String(c);
      button.setAttribute("aria-pressed", String(state.klass === c));
      const swatch = el("span", undefined, "swatch");
      swatch.style.background = data.classes[c].color;
      button.append(swatch, el("span", classLabel(c)), el("span", " " + data.classes[c].count, "muted"));
      button.addEventListener("click", () => highlightClass(c));
      box.append(button);
    }
  }

  function highlightClass(c) {
    state.klass = c;
    legend();
    renderer.refresh();
    renderer.getCamera().setState(c < 0 ? { x: 0.5, y: 0.5, ratio: 1 } : frame(c));
  }

  function frame(c) {
    // the camera's state that shows every member of class c (framed coordinates, 0 to 1)
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < count; i++) {
      if (data.cls[i] !== c) continue;
      const at = renderer.getNodeDisplayData(String(i));
      [x0, y0, x1, y1] = [Math.min(x0, at.x), Math.min(y0, at.y), Math.max(x1, at.x), Math.max(y1, at.y)];
    }
    const ratio = Math.min(1, Math.max(0.02, 1.2 * Math.max(x1 - x0, y1 - y0)));
    return { x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio };
  }

  function relationLabel(r) {
    return data.relations[r][state.lang === "zh" ? 1 : 2] || data.relations[r][0];
  }

  function details() {
    const body = $("details-body");
    body.replaceChildren();
    const i = state.selected;
    if (i < 0) {
      body.append(el("p", t("hint"), "muted"));
      return;
    }
    body.append(el("h3", data[state.lang][i]));
    const other = state.lang === "zh" ? "en" : "zh";
    if (data[other][i] !== data[state.lang][i]) body.append(el("p", data[other][i]));
    body.append(el("p", t("klass") + ": " + classLabel(data.cls[i])));
    body.append(el("p", data.ids[i], "muted"));
    const facts = (data.facts[i] || []).filter(([, , lang]) => !lang || lang === state.lang);
    if (facts.length) {
      body.append(el("h4", t("facts")));
      const list = el("ul");
      for (const [p, value, , q] of facts) {
        const item = el("li", relationLabel(p) + ": " + value);
        item.className = "fact";
        if (q >= 0) item.append(el("blockquote", data.quotes[q].quote || data.quotes[q].locator || ""));
        list.append(item);
      }
      body.append(list);
    }
    body.append(el("h4", t("relations") + " (" + byNode[i].length + ")"));
    const list = el("ul");
    for (const e of byNode[i].slice(0, SHOWN)) {
      const [s, o, r, q] = data.edges.slice(e, e + 4);
      const rel = relationLabel(r);
      const item = el("li");
      item.dataset.edge = String(e / 4);
      item.append(el("span", data[state.lang][s] + " — " + rel + " → " + data[state.lang][o]));
      if (q >= 0) item.append(el("blockquote", data.quotes[q].quote || data.quotes[q].locator || ""));
      list.append(item);
    }
    body.append(list);
    if (byNode[i].length > SHOWN) {
      body.append(el("p", t("more").replace("{n}", String(byNode[i].length - SHOWN)), "muted"));
    }
  }

  function remember() {
    // the same address as the small explorer's (explorer-url.js): ?lang=…&node=kgr:…
    const node = state.selected >= 0 ? { kind: "node", id: data.ids[state.selected] } : null;
    KgUrl.write({ lang: state.lang, hidden: [], date: null, selection: node, factOf: () => "" });
  }

  function select(i, focus) {
    state.selected = i;
    details();
    remember();
    renderer.refresh();
    if (focus && i >= 0) {
      const at = renderer.getNodeDisplayData(String(i));
      renderer.getCamera().setState({ x: at.x, y: at.y, ratio: 0.08 });
    }
  }

  function find(query) {
    // full-width forms to their usual ones (NFKC), Traditional characters to Simplified
    const q = Array.from(query.normalize("NFKC").trim().toLowerCase(), (ch) => data.variants[ch] || ch)
      .join("")
      .replace(/\s+/g, " ");
    if (!q) return -1;
    let partial = -1;
    for (let i = 0; i < count; i++) {
      const names = [data.zh[i], data.en[i], data.ids[i]].map((s) => String(s).toLowerCase());
      if (names.includes(q)) return i;
      if (partial < 0 && names.some((s) => s.includes(q))) partial = i;
    }
    return partial;
  }

  function search() {
    const query = $("search").value;
    const i = find(query);
    $("notice").textContent = i < 0 && query.trim() ? t("noMatch") + query : notice();
    if (i >= 0) select(i, true);
  }

  function notice() {
    return data["message_" + state.lang] || count.toLocaleString() + " " + t("nodes");
  }

  function setLang(lang) {
    state.lang = lang;
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    graph.updateEachNodeAttributes((node, attrs) => ({ ...attrs, label: data[lang][Number(node)] }));
    $("search").placeholder = t("search");
    $("search-go").textContent = t("find");
    $("reset-view").textContent = t("resetView");
    $("lang-toggle").textContent = t("otherLanguage");
    $("legend-title").textContent = t("legend");
    $("details-title").textContent = t("details");
    $("notice").textContent = notice();
    legend();
    details();
    remember();
  }

  function pixels() {
    // draws now and copies the WebGL canvas before the frame is handed to the compositor
    renderer.refresh();
    const source = renderer.getCanvases().nodes;
    const copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext("2d");
    context.drawImage(source, 0, 0);
    const image = context.getImageData(0, 0, copy.width, copy.height).data;
    let painted = 0;
    for (let p = 3; p < image.length; p += 4) if (image[p] > 0) painted++;
    return painted;
  }

  renderer.on("clickNode", ({ node }) => select(Number(node), false));
  renderer.on("clickStage", () => select(-1, false));
  $("search").addEventListener("keydown", (event) => { if (event.key === "Enter") search(); });
  $("search-go").addEventListener("click", search);
  $("reset-view").addEventListener("click", () => renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }));
  $("lang-toggle").addEventListener("click", () => setLang(state.lang === "zh" ? "en" : "zh"));
  const asked = KgUrl.read();
  setLang(asked.lang || state.lang);
  if (asked.node && data.ids.includes(asked.node)) select(data.ids.indexOf(asked.node), true);

  window.kgExplorer = {
    ready: true,
    large: true,
    data,
    graph,
    renderer,
    state,
    select: (i) => select(i, true),
    find,
    pixels,
    setLang,
  };
})();
