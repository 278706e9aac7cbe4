// The large explorer's path panel: the first path of kg path's ranking (kg/network/paths.py),
// found in the page. Python gives each edge its hop kind (data.hops, the edges the ranking
// walks, one per pair of nodes); this is _best_tree's Dijkstra on the same labels (weight, hops,
// nodes passed), node ids compared by their order in data.ids (sorted as Python sorts them), so
// it finds the path kg path, the server's /path and the small explorer's table give first.
"use strict";

(function () {
  /** A binary heap of labels [weight, hops, passed, node], the least first (tuple order). */
  function less(a, b) {
    if (a[0] !== b[0]) return a[0] < b[0];
    if (a[1] !== b[1]) return a[1] < b[1];
    const [p, q] = [a[2], b[2]];
    for (let k = 0; k < Math.min(p.length, q.length); k++) if (p[k] !== q[k]) return p[k] < q[k];
    if (p.length !== q.length) return p.length < q.length;
    return a[3] < b[3];
  }
  function push(heap, item) {
    heap.push(item);
    for (let k = heap.length - 1; k > 0; ) {
      const up = (k - 1) >> 1;
      if (!less(heap[k], heap[up])) break;
      [heap[k], heap[up]] = [heap[up], heap[k]];
      k = up;
    }
  }
  function pop(heap) {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length) {
      heap[0] = last;
      for (let k = 0; ; ) {
        const [l, r] = [2 * k + 1, 2 * k + 2];
        let m = k;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === k) break;
        [heap[k], heap[m]] = [heap[m], heap[k]];
        k = m;
      }
    }
    return top;
  }

  /**
   * The path panel, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {{best: function(number, number): ?number[], show: function(string, string)}}
   */
  function install(ctx) {
    const { data, state, renderer, count, $, el, t, name, relationLabel, quoteOf, nodeButton } = ctx;
    const detour = 4 * count + 1; // a detour weighs more than any path of facts
    const WEIGHT = { fact: 2, setting: 3, claim: detour, provenance: detour + 1 };
    const adjacent = Array.from({ length: count }, () => []);
    for (let e = 0; e < data.hops.length; e++) {
      if (!data.hops[e]) continue;
      const [s, o] = [data.edges[4 * e], data.edges[4 * e + 1]];
      const weight = WEIGHT[data.hop_kinds[data.hops[e]]];
      adjacent[s].push([o, weight, e]);
      if (o !== s) adjacent[o].push([s, weight, e]);
    }

    /** The edges (indices) of the best path from node `from` to node `to`, in order; null: none. */
    function best(from, to) {
      if (from === to) return [];
      const label = new Map([[from, [0, 0, []]]]);
      const arrived = new Map(); // node → [previous node, edge]
      const done = new Uint8Array(count);
      const heap = [[0, 0, [], from]];
      while (heap.length) {
        const [weight, hops, passed, node] = pop(heap);
        if (done[node]) continue;
        done[node] = 1;
        if (node === to) break;
        for (const [next, w, e] of adjacent[node]) {
          if (done[next]) continue;
          const item = [weight + w, hops + 1, passed.concat([next]), next];
          const known = label.get(next);
          if (!known || less(item, [...known, next])) {
            label.set(next, item.slice(0, 3));
            arrived.set(next, [node, e]);
            push(heap, item);
          }
        }
      }
      if (!arrived.has(to)) return null;
      const edges = [];
      for (let at = to; at !== from; at = arrived.get(at)[0]) edges.unshift(arrived.get(at)[1]);
      return edges;
    }

    function show(fromText, toText) {
      const words = data.paths_text[state.lang];
      const body = $("details-body");
      body.replaceChildren();
      const [from, to] = [ctx.find(fromText), ctx.find(toText)];
      state.selected = -1;
      state.path = { from: fromText, to: toText, edges: new Set(), nodes: new Set() };
      $("path-from").value = fromText;
      $("path-to").value = toText;
      if (from < 0 || to < 0) {
        body.append(el("p", t("notFound") + (from < 0 ? fromText : toText), "miss"));
        ctx.remember();
        renderer.refresh();
        return;
      }
      const edges = best(from, to);
      if (edges === null) {
        body.append(el("p", words.none, "muted"));
      } else {
        let at = from;
        const list = el("ol");
        const nodes = [from];
        for (const e of edges) {
          const [s, o, r, q] = data.edges.slice(4 * e, 4 * e + 4);
          const next = s === at ? o : s;
          const item = el("li");
          item.dataset.edge = String(e);
          const claim = data.hop_kinds[data.hops[e]] === "claim";
          if (claim) item.append(el("span", words.claim + " "), nodeButton(at), " ⋯ ", nodeButton(next));
          else item.append(nodeButton(s), el("span", " — " + relationLabel(r) + " → "), nodeButton(o));
          if (q >= 0) item.append(quoteOf(q));
          list.append(item);
          nodes.push(next);
          at = next;
        }
        state.path.edges = new Set(edges);
        state.path.nodes = new Set(nodes);
        body.append(el("h3", words.title + ": " + name(from) + " → " + name(to)), list);
        renderer.getCamera().setState(ctx.frame(nodes));
      }
      ctx.remember();
      renderer.refresh();
    }

    $("path-go").addEventListener("click", () => show($("path-from").value, $("path-to").value));
    return { best, show };
  }

  window.KgLargePaths = { install };
})();
