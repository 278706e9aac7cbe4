/* The zhipu-kg explorer's image export: the current view as PNG (the canvas, on white) and as
   SVG (built from the drawn nodes' positions, shapes and labels, the drawn edges and their
   drawn labels). Offline: the file is made in the page and saved through a blob: link. The SVG
   is built with DOM calls and serialised, so a label is always text, never markup. */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const FACE = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";

  function save(blob, name) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function node(tag, attrs, text) {
    const item = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) item.setAttribute(key, String(value));
    if (text) item.textContent = text;
    return item;
  }

  /** The corners of a vis-network shape of radius r at (x, y), as an SVG points list. */
  function polygon(shape, x, y, r) {
    const turns = { triangle: [-90, 30, 150], triangleDown: [90, 210, 330], square: [45, 135, 225, 315], diamond: [0, 90, 180, 270], hexagon: [0, 60, 120, 180, 240, 300] };
    let points;
    if (shape === "star") {
      points = Array.from({ length: 10 }, (_, i) => [-90 + 36 * i, i % 2 ? r * 0.4 : r]);
    } else {
      points = (turns[shape] || []).map((a) => [a, shape === "square" ? r * Math.SQRT2 : r]);
    }
    return points.map(([a, d]) => (x + d * Math.cos((a * Math.PI) / 180)).toFixed(1) + "," + (y + d * Math.sin((a * Math.PI) / 180)).toFixed(1)).join(" ");
  }

  function label(group, module) {
    const size = module.size;
    const font = module.fontOptions;
    group.appendChild(
      node(
        "text",
        {
          x: (size.left + size.width / 2).toFixed(1),
          y: (size.top + (font.vadjust || 0) + size.height / 2).toFixed(1),
          "font-size": font.size,
          "font-family": FACE,
          "text-anchor": "middle",
          "dominant-baseline": "central",
          fill: font.color || "#343434",
          stroke: "#ffffff",
          "stroke-width": font.strokeWidth || 0,
          "paint-order": "stroke",
        },
        module.elementOptions.label,
      ),
    );
  }

  /**
   * The current view as an SVG document (text).
   * @param {object} network the vis.Network
   * @returns {string} the SVG
   */
  function svg(network) {
    const canvas = network.canvas.frame.canvas;
    const [w, h] = [canvas.clientWidth, canvas.clientHeight];
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const b = network.DOMtoCanvas({ x: w, y: h });
    const scale = network.getScale();
    const root = node("svg", { xmlns: SVG, width: w, height: h, viewBox: [a.x, a.y, b.x - a.x, b.y - a.y].map((v) => v.toFixed(1)).join(" ") });
    root.appendChild(node("rect", { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y, fill: "#ffffff" }));
    const edges = node("g", { class: "edges" });
    const nodes = node("g", { class: "nodes" });
    const labels = node("g", { class: "labels" });
    for (const edge of Object.values(network.body.edges)) {
      if (edge.options.hidden || !edge.from || !edge.to || edge.from.options.hidden || edge.to.options.hidden) continue;
      const color = edge.options.color && edge.options.color.color ? edge.options.color.color : "#9aa5b1";
      const line = { x1: edge.from.x, y1: edge.from.y, x2: edge.to.x, y2: edge.to.y, stroke: color, "stroke-width": edge.options.width || 1 };
      if (edge.options.dashes) line["stroke-dasharray"] = "5 5";
      edges.appendChild(node("line", line));
      const font = edge.labelModule.fontOptions;
      const threshold = edge.options.scaling.label.drawThreshold;
      if ((edge.labelModule.elementOptions.label || "").trim() && edge.labelModule.size.width && font.size * scale >= threshold - 1) {
        label(labels, edge.labelModule);
      }
    }
    for (const item of Object.values(network.body.nodes)) {
      if (item.options.hidden) continue;
      const color = item.options.color || {};
      const paint = { fill: color.background || "#97c2fc", stroke: color.border || "#333333", "stroke-width": 1, "data-id": item.id };
      const shape = item.options.shape;
      const r = item.options.size;
      if (shape === "box") {
        const width = item.shape.width || 2 * r;
        const height = item.shape.height || r;
        nodes.appendChild(node("rect", Object.assign({ x: item.x - width / 2, y: item.y - height / 2, width: width, height: height, rx: 4 }, paint)));
      } else if (shape === "dot" || shape === "circle" || shape === "ellipse") {
        nodes.appendChild(node("circle", Object.assign({ cx: item.x, cy: item.y, r: r }, paint)));
      } else {
        nodes.appendChild(node("polygon", Object.assign({ points: polygon(shape, item.x, item.y, r) }, paint)));
      }
      if (item.options.label && item.labelModule.size.width) label(labels, item.labelModule);
    }
    root.append(edges, nodes, labels);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
  }

  /** The current view as a PNG blob: the canvas as drawn, on a white ground. */
  function png(network, done) {
    const canvas = network.canvas.frame.canvas;
    const copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    copy.toBlob(done, "image/png");
  }

  /**
   * Wire the export buttons.
   * @param {object} network the vis.Network
   * @param {string} name the files' name without extension
   * @returns {{svg: function(): string}}
   */
  function install(network, name) {
    document.getElementById("export-png").addEventListener("click", () => {
      network.redraw();
      png(network, (blob) => save(blob, name + ".png"));
    });
    document.getElementById("export-svg").addEventListener("click", () => {
      save(new Blob([svg(network)], { type: "image/svg+xml" }), name + ".svg");
    });
    return { svg: () => svg(network) };
  }

  window.KgExport = { install: install, save: save };
})();
