/* The zhipu-kg explorer's path finder: the first path of the ranking kg.network.paths defines
   (kg path, the server's /path), walked in the page over what its filters show.

   The page carries DATA.paths from kg.network.paths.path_table: `order` (the edges paths walk,
   most meaningful first), `weights` and `kinds`. Per pair of nodes the first shown edge of
   `order` stands for the pair (meaning_graph); the walk is Dijkstra on the labels (weight, hops,
   nodes passed) of _best_tree, so with nothing hidden it finds the path Python ranks first. */
(function () {
  "use strict";

  // a binary heap, the first by `before` on top
  function Heap(before) {
    const items = [];
    const swap = (i, j) => ([items[i], items[j]] = [items[j], items[i]]);
    this.size = () => items.length;
    this.push = (item) => {
      items.push(item);
      for (let i = items.length - 1; i > 0; ) {
        const up = (i - 1) >> 1;
        if (!before(items[i], items[up])) break;
        swap(i, up);
        i = up;
      }
    };
    this.pop = () => {
      const top = items[0];
      const last = items.pop();
      if (items.length) {
        items[0] = last;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < items.length && before(items[l], items[m])) m = l;
          if (r < items.length && before(items[r], items[m])) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return top;
    };
  }

  /**
   * The first-ranked path between two nodes over the edges `shown` keeps.
   * @param {object} table DATA.paths: order, weights, kinds
   * @param {function(number): Array} ends the two ends of the edge at this index, as node ids or
   *   as indices into the ids sorted as Python sorts them (either compares as _best_tree does)
   * @param {string|number} from a node
   * @param {string|number} to a node
   * @param {function(number): boolean} shown whether the edge at this index is shown
   * @returns {number[]|null} the hops' edge indices, from `from` to `to`; null for none
   */
  function firstPath(table, ends, from, to, shown) {
    const next = new Map(); // node -> [[neighbour, edge index], …]
    const paired = new Set();
    const link = (a, b, i) => (next.get(a) || next.set(a, []).get(a)).push([b, i]);
    for (const i of table.order) {
      const [a, b] = ends(i);
      if (a === b || !shown(i)) continue;
      const pair = a < b ? a + "\u0000" + b : b + "\u0000" + a;
      if (paired.has(pair)) continue;
      paired.add(pair);
      link(a, b, i);
      link(b, a, i);
    }
    // A label is {weight, hops, node, previous}: the nodes it passed are its previous node's
    // (whose label is final) and its own, compared from the start by walking both back.
    const finalPrevious = new Map(); // a node done -> the node before it on its best path
    function passedOrder(a, pa, b, pb) {
      let sign = 0; // of the earliest difference: walked from the end, the last one seen
      for (;;) {
        if (a !== b) sign = a < b ? -1 : 1;
        if (pa === pb) return sign; // the same path from here back to the start
        [a, b, pa, pb] = [pa, pb, finalPrevious.get(pa), finalPrevious.get(pb)];
      }
    }
    // lighter, then fewer hops, then the nodes passed compared in order (_best_tree's labels)
    const before = (x, y) =>
      x.weight !== y.weight ? x.weight < y.weight : x.hops !== y.hops ? x.hops < y.hops : passedOrder(x.node, x.previous, y.node, y.previous) < 0;
    const best = new Map([[from, { weight: 0, hops: 0, node: from, previous: undefined }]]);
    const arrivedBy = new Map();
    const heap = new Heap(before);
    heap.push(best.get(from));
    while (heap.size()) {
      const label = heap.pop();
      if (finalPrevious.has(label.node)) continue;
      finalPrevious.set(label.node, label.previous);
      if (label.node === to) break;
      for (const [neighbour, i] of next.get(label.node) || []) {
        if (finalPrevious.has(neighbour)) continue;
        const reached = { weight: label.weight + table.weights[i], hops: label.hops + 1, node: neighbour, previous: label.node };
        const known = best.get(neighbour);
        if (!known || before(reached, known)) {
          best.set(neighbour, reached);
          arrivedBy.set(neighbour, i);
          heap.push(reached);
        }
      }
    }
    if (from === to || !arrivedBy.has(to)) return null;
    const hops = [];
    for (let at = to; at !== from; ) {
      const i = arrivedBy.get(at);
      const [a, b] = ends(i);
      hops.unshift(i);
      at = a === at ? b : a;
    }
    return hops;
  }

  window.KgPaths = { firstPath: firstPath };
})();
