// The large explorer's image export, offline: PNG (the communities' layer and sigma's WebGL and
// label canvases, copied right after a drawing, on white) and SVG (built from the drawn nodes,
// edges and labels inside the view, with DOM calls, so a label is always text). The file is
// saved through a blob: link, as the small explorer does (explorer-export.js).
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const FACE = "system-ui, Noto Sans CJK SC, sans-serif";

  function node(tag, attrs, text) {
    const item = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) item.setAttribute(key, String(value));
    if (text) item.textContent = text;
    return item;
  }

  /**
   * The export buttons, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {{pixels: function(): number, png: function(function(Blob)), svg: function(): string}}
   */
  function install(ctx) {
    const { data, renderer, graph, nodeShown, edgeShown, $ } = ctx;
    const layers = () => Array.from(renderer.getContainer().querySelectorAll("canvas"));

    /** The view on one 2D canvas: drawn now and copied before the frame reaches the screen. */
    function flatten() {
      renderer.refresh();
      const { width, height } = renderer.getDimensions();
      const ratio = window.devicePixelRatio || 1;
      const copy = document.createElement("canvas");
      copy.width = Math.round(width * ratio);
      copy.height = Math.round(height * ratio);
      const g = copy.getContext("2d");
      g.fillStyle = "#ffffff";
      g.fillRect(0, 0, copy.width, copy.height);
      for (const layer of layers()) if (layer.width && layer.height) g.drawImage(layer, 0, 0, copy.width, copy.height);
      return copy;
    }

    /** How many pixels of the nodes' canvas are painted (a drawing test). */
    function pixels() {
      renderer.refresh();
      const source = renderer.getCanvases().nodes;
      const copy = document.createElement("canvas");
      copy.width = source.width;
      copy.height = source.height;
      const g = copy.getContext("2d");
      g.drawImage(source, 0, 0);
      const image = g.getImageData(0, 0, copy.width, copy.height).data;
      let painted = 0;
      for (let p = 3; p < image.length; p += 4) if (image[p] > 0) painted++;
      return painted;
    }

    function png(done) {
      flatten().toBlob(done, "image/png");
    }

    /** The view as an SVG document: what is drawn inside it, nodes over edges, labels on top. */
    function svg() {
      renderer.refresh();
      const { width, height } = renderer.getDimensions();
      const root = node("svg", { xmlns: SVG, width, height, viewBox: "0 0 " + width + " " + height });
      root.append(node("rect", { width, height, fill: "#ffffff" }));
      const [edges, nodes, labels] = [node("g", { stroke: "#c8c8c8", "stroke-width": 0.6 }), node("g", {}), node("g", { "font-family": FACE, "font-size": 12 })];
      const at = new Map();
      const inside = (p, r) => p.x + r >= 0 && p.y + r >= 0 && p.x - r <= width && p.y - r <= height;
      graph.forEachNode((key) => {
        const shown = renderer.getNodeDisplayData(key);
        if (!nodeShown[Number(key)] || !shown || shown.hidden) return;
        const p = renderer.framedGraphToViewport(shown);
        const r = Math.max(1, renderer.scaleSize(shown.size));
        at.set(key, p);
        if (inside(p, r)) nodes.append(node("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), fill: shown.color, "data-node": key }));
      });
      graph.forEachEdge((key, attrs, source, target) => {
        const [a, b] = [at.get(source), at.get(target)];
        const shown = renderer.getEdgeDisplayData(key);
        if (!edgeShown[Number(key)] || !a || !b || (shown && shown.hidden) || (!inside(a, 0) && !inside(b, 0))) return;
        const paint = shown && shown.color !== ctx.EDGE.plain ? { stroke: shown.color, "stroke-width": shown.size } : {};
        edges.append(node("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1), ...paint }));
      });
      for (const key of renderer.getNodeDisplayedLabels()) {
        const p = at.get(key);
        const label = graph.getNodeAttribute(key, "label");
        if (p && label && inside(p, 0)) labels.append(node("text", { x: (p.x + 6).toFixed(1), y: (p.y + 4).toFixed(1) }, label));
      }
      root.append(edges, nodes, labels);
      return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
    }

    const name = String(data.title || "zhipu-kg").replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "") || "zhipu-kg";
    $("export-png").addEventListener("click", () => png((blob) => window.KgExport.save(blob, name + ".png")));
    $("export-svg").addEventListener("click", () => window.KgExport.save(new Blob([svg()], { type: "image/svg+xml" }), name + ".svg"));
    return { pixels, png, svg };
  }

  window.KgLargeExport = { install };
})();
