// The large explorer's path panel: the first path of kg path's ranking (kg/network/paths.py),
// found in the page. Python gives each edge its hop kind (data.hops, the edges the ranking
// walks, one per pair of nodes); this is _best_tree's Dijkstra on the same labels (weight, hops,
// nodes passed), node ids compared by their order in data.ids (sorted as Python sorts them), so
// it finds the path kg path, the server's /path and the small explorer's table give first.
"use strict";

(function () {
  /** A binary heap, the least first by `less`. */
  function push(heap, item, less) {
    heap.push(item);
    for (let k = heap.length - 1; k > 0; ) {
      const up = (k - 1) >> 1;
      if (!less(heap[k], heap[up])) break;
      [heap[k], heap[up]] = [heap[up], heap[k]];
      k = up;
    }
  }
  function pop(heap, less) {
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

    /**
     * The edges (indices) of the best path from node `from` to node `to`, in order; null: none.
     * A label is [weight, hops, node, previous]: the nodes passed are the previous node's (whose
     * label is final) and this one, compared from the start without copying them.
     */
    function best(from, to) {
      if (from === to) return [];
      const final = new Map(); // a node done → the node before it on its best path
      // the sign of the first difference between the nodes passed by two labels of equal hops
      function passed(a, pa, b, pb) {
        let sign = 0;
        for (;;) {
          if (a !== b) sign = a < b ? -1 : 1;
          if (pa === pb) return sign; // the same path from here back to the start
          [a, b, pa, pb] = [pa, pb, final.get(pa), final.get(pb)];
        }
      }
      const less = (x, y) => x[0] !== y[0] ? x[0] < y[0] : x[1] !== y[1] ? x[1] < y[1] : passed(x[2], x[3], y[2], y[3]) < 0;
      const label = new Map([[from, [0, 0, from, -1]]]);
      const arrived = new Map(); // node → the edge of its best label
      const heap = [[0, 0, from, -1]];
      while (heap.length) {
        const [weight, hops, node, previous] = pop(heap, less);
        if (final.has(node)) continue;
        final.set(node, previous);
        if (node === to) break;
        for (const [next, w, e] of adjacent[node]) {
          if (final.has(next)) continue;
          const item = [weight + w, hops + 1, next, node];
          const known = label.get(next);
          if (!known || less(item, known)) {
            label.set(next, item);
            arrived.set(next, e);
            push(heap, item, less);
          }
        }
      }
      if (!final.has(to)) return null;
      const edges = [];
      for (let at = to; at !== from; at = final.get(at)) edges.unshift(arrived.get(at));
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
