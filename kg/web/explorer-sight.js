/* First sight and level of detail for the zhipu-kg explorer.
   The drawing is fitted to the canvas with a margin; node labels are drawn at a readable
   size on screen, most central first, and a label that would overlap one already placed waits
   until the user zooms in far enough for it to fit. Labels are text (vis-network draws them
   on the canvas); nothing here writes markup. */
(function () {
  "use strict";

  const SCREEN_PX = 13; // a shown label's height on screen while zoomed out
  const BASE = 14; // its size in the drawing once zoomed in (grows with the zoom)
  const PADDING = 0.96; // the node centres take this share of the canvas after fitting
  const MARGIN_X = 60; // room for the labels of the outermost nodes
  const MARGIN_Y = 28;
  const TOP = 40; // the labels of this many nodes (the named ones first) get more places to try
  const FACE = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";
  const EDGE_FONT = 10; // an edge label's size in the drawing (explorer.js's edges.font.size)
  const EDGE_SHOWN = 8; // vis-network draws it once this large on screen (drawThreshold - 1)

  /**
   * The network as it will be, before it exists: the opening view is fitted and labelled on
   * this stand-in, so vis-network builds its nodes once, already labelled, instead of
   * building them and then relabelling them. Node heights are those vis-network's value
   * scaling gives (between `min` and `max`, by value among all nodes).
   * @param {HTMLElement} container the element the network will fill
   * @param {{id: string, x: number, y: number, shape: string, value: number}[]} items the nodes
   * @param {number} min the smallest node size (vis-network's nodes.scaling.min)
   * @param {number} max the largest (nodes.scaling.max)
   * @returns {object} what this file uses of a vis.Network
   */
  function preview(container, items, min, max) {
    const values = items.map((i) => i.value);
    const low = Math.min(...values);
    const high = Math.max(...values);
    // vis-network's getPositions gives whole numbers, cut towards zero
    const at = new Map(items.map((i) => [i.id, { x: Math.trunc(i.x), y: Math.trunc(i.y) }]));
    const body = { nodes: {} };
    for (const i of items) {
      const share = high === low ? 0.5 : (i.value - low) / (high - low);
      body.nodes[i.id] = { options: { shape: i.shape }, shape: { height: 2 * (min + share * (max - min)) } };
    }
    const view = { x: 0, y: 0, scale: 1 };
    return {
      view: view,
      body: body,
      canvas: { frame: { canvas: container } },
      getScale: () => view.scale,
      getPositions: (ids) => Object.fromEntries(ids.map((id) => [id, at.get(id)])),
      canvasToDOM: (p) => ({
        x: (p.x - view.x) * view.scale + container.clientWidth / 2,
        y: (p.y - view.y) * view.scale + container.clientHeight / 2,
      }),
      moveTo: (options) => {
        view.x = options.position.x;
        view.y = options.position.y;
        view.scale = options.scale;
      },
    };
  }

  /**
   * Level-of-detail labels, placed first on a preview (the labels go to `nodes.update`), then
   * on the vis-network once `attach`ed.
   * @param {object} network the vis.Network, or a preview of it
   * @param {{update: function(object[])}} nodes its vis.DataSet of nodes, or what takes the labels
   * @param {function(): string[]} order visible node ids, most important first
   * @param {function(string): string} textOf a node's label text
   * @param {{order: function(): string[], ends: function(string): string[], text: function(string): string, write: function(object[])}} edgeLayer
   *   the edges whose labels are placed after the nodes' (straight ones, most important first):
   *   their end nodes, caption, and where the labels go
   * @returns {{update: function(), fit: function(string[]=), pin: function(string[]), relabel: function(), unpin: function(), attach: function(object, object)}}
   */
  function install(network, nodes, order, textOf, edgeLayer) {
    const measure = document.createElement("canvas").getContext("2d");
    measure.font = "100px " + FACE;
    const widths = new Map();
    const pinned = new Set();
    const shown = new Map();
    const shownEdges = new Map();
    let pending = 0;

    function width(text) {
      let w = widths.get(text);
      if (w === undefined) {
        w = measure.measureText(text).width / 100;
        widths.set(text, w);
      }
      return w;
    }

    function update() {
      pending = 0;
      if (!started) return; // nothing is placed before the first fit
      const scale = network.getScale();
      const size = Math.max(BASE, SCREEN_PX / scale);
      const px = size * scale;
      const ids = order();
      const positions = network.getPositions(ids);
      const canvas = network.canvas.frame.canvas;
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      const cell = 64;
      const grid = new Map();
      const hits = (box) => {
        for (let gx = Math.floor(box.x1 / cell); gx <= Math.floor(box.x2 / cell); gx++) {
          for (let gy = Math.floor(box.y1 / cell); gy <= Math.floor(box.y2 / cell); gy++) {
            for (const other of grid.get(gx + ":" + gy) || []) {
              if (box.x1 < other.x2 && other.x1 < box.x2 && box.y1 < other.y2 && other.y1 < box.y2) return true;
            }
          }
        }
        return false;
      };
      const place = (box) => {
        for (let gx = Math.floor(box.x1 / cell); gx <= Math.floor(box.x2 / cell); gx++) {
          for (let gy = Math.floor(box.y1 / cell); gy <= Math.floor(box.y2 / cell); gy++) {
            const key = gx + ":" + gy;
            if (!grid.has(key)) grid.set(key, []);
            grid.get(key).push(box);
          }
        }
      };
      const updates = [];
      for (const [rank, id] of ids.entries()) {
        const text = textOf(id);
        const at = network.canvasToDOM(positions[id]);
        const body = network.body.nodes[id];
        const inside = body && body.options.shape === "box";
        const half = (width(text) * px) / 2 + 2;
        // vis-network puts a label's box (its size.top) at y + height/2 + size/2 + 4 under a
        // node, centred on a box-shaped one; vadjust moves the drawn text.
        const height = body && body.shape && body.shape.height ? body.shape.height : 20;
        const below = inside ? -0.5 * size : height / 2 + size / 2 + 4;
        const up = -(height + 1.5 * size + 6);
        // the most important labels may also stand one line further out
        const shifts = inside ? [0] : rank < TOP ? [0, up, 1.1 * size, up - 1.1 * size, 2.2 * size, up - 2.2 * size] : [0, up];
        let chosen = null;
        let vadjust = 0;
        for (const shift of shifts) {
          const y1 = at.y + (below + shift) * scale;
          const box = { x1: at.x - half, x2: at.x + half, y1: y1, y2: y1 + px + 2 };
          const inView = box.x1 > 0 && box.x2 < w && box.y1 > 0 && box.y2 < h;
          if (inView && !hits(box)) {
            chosen = box;
            vadjust = shift;
            break;
          }
        }
        if (chosen) place(chosen);
        // a label that does not fit is not drawn at all, a box's too (it shrinks to a small box):
        // every drawn label is readable and overlaps at most a few others
        const show = Boolean(chosen) || pinned.has(id);
        const label = show ? text : "";
        const key = label ? label + "|" + size + "|" + vadjust : "";
        // a label written in the other language is stale (null) and is always rewritten
        if ((shown.has(id) ? shown.get(id) : "") !== key) {
          shown.set(id, key);
          updates.push({ id: id, label: label, font: { size: size, vadjust: vadjust } });
        }
      }
      if (updates.length) nodes.update(updates);
      placeEdges(scale, w, h, hits, place);
    }

    // An edge's label, at its middle, when vis-network would draw it and it overlaps no label
    // already placed (node labels first); else none.
    function placeEdges(scale, w, h, hits, place) {
      const px = EDGE_FONT * scale;
      const ids = edgeLayer.order();
      const ends = new Set(ids.flatMap((id) => edgeLayer.ends(id)));
      const at = network.getPositions(Array.from(ends));
      const updates = [];
      for (const id of ids) {
        const text = edgeLayer.text(id);
        let label = " "; // vis-network keeps an edge's old label when given "" or null: a space draws nothing
        if (px >= EDGE_SHOWN && text) {
          const [from, to] = edgeLayer.ends(id).map((n) => network.canvasToDOM(at[n]));
          const [x, y] = [(from.x + to.x) / 2, (from.y + to.y) / 2];
          const half = (width(text) * px) / 2 + 2;
          const box = { x1: x - half, x2: x + half, y1: y - px / 2 - 2, y2: y + px / 2 + 2 };
          if (box.x1 > 0 && box.x2 < w && box.y1 > 0 && box.y2 < h && !hits(box)) {
            place(box);
            label = text;
          }
        }
        if ((shownEdges.has(id) ? shownEdges.get(id) : " ") !== label) {
          shownEdges.set(id, label);
          updates.push({ id: id, label: label });
        }
      }
      if (updates.length) edgeLayer.write(updates);
    }

    function schedule() {
      if (!pending) pending = window.setTimeout(update, 60);
    }

    function fit(ids) {
      const chosen = ids && ids.length ? ids : order();
      const positions = Object.values(network.getPositions(chosen));
      if (!positions.length) return;
      const xs = positions.map((p) => p.x);
      const ys = positions.map((p) => p.y);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const canvas = network.canvas.frame.canvas;
      const w = Math.max(canvas.clientWidth - 2 * MARGIN_X, 50);
      const h = Math.max(canvas.clientHeight - 2 * MARGIN_Y, 50);
      const scale = Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1), 2) * PADDING;
      network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
      fitted = { ids: ids };
      started = true;
      update();
    }

    // Until the user moves the view, a resized canvas (the panels settling) is fitted again.
    let fitted = null;
    let started = false;
    function attach(real, realNodes) {
      const view = network.view;
      network = real;
      nodes = realNodes;
      if (view) network.moveTo({ position: { x: view.x, y: view.y }, scale: view.scale, animation: false });
      network.on("zoom", () => {
        fitted = null;
        schedule();
      });
      network.on("dragEnd", (params) => {
        if (!params.nodes.length) fitted = null;
        schedule();
      });
      network.on("resize", () => (fitted ? window.setTimeout(() => fitted && fit(fitted.ids), 0) : schedule()));
    }
    if (network.on) attach(network, nodes);
    return {
      attach: attach,
      update: update,
      fit: fit,
      pin: (ids) => {
        pinned.clear();
        for (const id of ids) pinned.add(id);
        update();
      },
      relabel: () => {
        for (const id of shown.keys()) shown.set(id, null);
        for (const id of shownEdges.keys()) shownEdges.set(id, null);
        update();
      },
      unpin: () => {
        pinned.clear();
        update();
      },
    };
  }

  window.KgSight = { install: install, preview: preview };
})();
