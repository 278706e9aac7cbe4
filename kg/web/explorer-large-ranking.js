// The large explorer's size-by selector and centrality ranking: nodes sized, and the top ones
// listed, by their degree (the relations drawn, free in the page) or their PageRank (computed in
// Python on the undirected simple graph, as the small explorer's, times the node count: 1 is the
// average node; kg/explore/large_panels.py). Betweenness is not offered: its exact cost is
// nodes × edges, and the panel says so (kg central gives it). Text only, never markup.
"use strict";

(function () {
  const TOP = 20; // nodes listed, as in the small explorer's ranking
  const MEASURES = ["degree", "pagerank"];
  const WORDS = {
    zh: {
      degree: "度(关系数)",
      pagerank: "PageRank(相对值)",
      about: {
        degree: "度:每个节点在图中的关系数,两个节点之间的多条关系各计一次。",
        pagerank: "PageRank:在无向简单图上计算(与小图浏览器相同),乘以节点数:1 为平均值。",
      },
      betweenness: (n) => "介数中心性在此视图中不计算:精确计算的代价与节点数 × 边数成正比,此视图所面向的大图承受不起(此图 " + n.toLocaleString() + " 个节点)。需要时用 kg central --measure betweenness(超过 500 个节点时为 50 个源点的抽样估计)。",
    },
    en: {
      degree: "Degree (relations)",
      pagerank: "PageRank (relative)",
      about: {
        degree: "Degree: the relations each node has in the drawing; several relations between two nodes count each.",
        pagerank: "PageRank on the undirected simple graph (as the small explorer computes it), times the node count: 1 is the average node.",
      },
      betweenness: (n) => "Betweenness is not computed in this view: its exact cost grows with nodes × edges, more than the large graphs this view is for can afford (this one has " + n.toLocaleString() + " nodes). For it, run kg central --measure betweenness (estimated from 50 sampled sources above 500 nodes).",
    },
  };

  /**
   * The size-by selector and the ranking panel, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {{size: function(string), show: function(), score: function(number): number, labels: function()}}
   */
  function install(ctx) {
    const { data, state, graph, renderer, count, $, el, t, nodeButton } = ctx;
    const words = () => WORDS[state.lang];
    const meanDegree = data.degree.reduce((a, b) => a + b, 0) / Math.max(count, 1);
    const score = (i) => (state.sizeBy === "pagerank" ? data.pagerank[i] : data.degree[i]);
    // a node's size: a degree, or the degree an average node of that PageRank has
    const sizeOf = (i) => 2 + 1.5 * Math.sqrt(state.sizeBy === "pagerank" ? data.pagerank[i] * meanDegree : data.degree[i]);

    /** The selector's option texts in the page's language (PageRank off where the data has none). */
    function labels() {
      for (const option of $("size-by").options) option.textContent = words()[option.value];
      $("size-by").querySelector("option[value='pagerank']").disabled = !data.pagerank;
    }

    /** Size the nodes by `measure` (degree or pagerank). */
    function size(measure) {
      state.sizeBy = MEASURES.includes(measure) && (measure !== "pagerank" || data.pagerank) ? measure : "degree";
      $("size-by").value = state.sizeBy;
      graph.updateEachNodeAttributes((node, attrs) => ({ ...attrs, size: sizeOf(Number(node)) }));
      if (state.ranking) show();
      else ctx.remember();
    }

    /** The TOP nodes by the chosen measure, facts left out, as the small explorer lists them. */
    function show() {
      ctx.unselect();
      state.ranking = true;
      const nodes = [];
      for (let i = 0; i < count; i++) if (!(i in data.ndate)) nodes.push(i);
      nodes.sort((a, b) => score(b) - score(a) || (data.en[a] < data.en[b] ? -1 : data.en[a] > data.en[b] ? 1 : a - b));
      const list = el("ol", undefined, "ranking");
      for (const i of nodes.slice(0, TOP)) {
        const item = el("li");
        item.dataset.node = String(i);
        item.append(nodeButton(i), el("span", " " + score(i), "score"));
        list.append(item);
      }
      $("details-body").replaceChildren(
        el("h3", t("rankingTitle") + " · " + words()[state.sizeBy]),
        el("p", words().about[state.sizeBy], "muted about"),
        list,
        el("p", words().betweenness(count), "muted betweenness"),
      );
      ctx.remember();
      renderer.refresh();
    }

    $("size-by").addEventListener("change", (event) => size(event.target.value));
    $("ranking").addEventListener("click", show);
    return { size, show, score, labels };
  }

  window.KgLargeRanking = { install };
})();
