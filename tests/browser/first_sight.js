// Measures the explorer's current view from vis-network's own drawing state: every label drawn
// (node labels, labels inside shapes, and edge labels when drawn at this zoom), at what size on
// screen, inside the canvas or not, overlapping one another or not, and how much of the canvas
// the drawing spans. Evaluated by tests/browser/test_viz_browser.py and its siblings.
() => {
  const net = kgExplorer.network;
  const canvas = net.canvas.frame.canvas;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const scale = net.getScale();
  const drawn = [];
  const inView = [];
  const xs = [];
  const ys = [];
  const boxOf = (id, module, kind) => {
    const text = module.elementOptions.label;
    const size = module.size;
    if (!text || !text.trim() || !size.width) return; // a space draws nothing
    const px = module.fontOptions.size * scale;
    const a = net.canvasToDOM({ x: size.left, y: size.top + (module.fontOptions.vadjust || 0) });
    drawn.push({ id: id, kind: kind, text: text, px: px, x1: a.x, y1: a.y, x2: a.x + size.width * scale, y2: a.y + size.height * scale });
  };
  for (const node of Object.values(net.body.nodes)) {
    if (node.options.hidden || !kgExplorer.nodes.get(node.id)) continue;
    const at = net.canvasToDOM({ x: node.x, y: node.y });
    xs.push(at.x);
    ys.push(at.y);
    if (at.x >= 0 && at.x <= w && at.y >= 0 && at.y <= h) inView.push(node.id);
    if (node.options.label) boxOf(node.id, node.labelModule, "node");
  }
  for (const edge of Object.values(net.body.edges)) {
    if (edge.options.hidden) continue;
    // vis-network draws an edge's label once its font is this large on screen
    if (edge.labelModule.fontOptions.size * scale < edge.options.scaling.label.drawThreshold - 1) continue;
    boxOf(edge.id, edge.labelModule, "edge");
  }
  // every label drawn at least partly inside the canvas counts, readable or not
  const shown = drawn.filter((b) => b.x2 > 0 && b.y2 > 0 && b.x1 < w && b.y1 < h);
  const overlapping = shown.filter((b) =>
    shown.some((o) => o !== b && b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2),
  );
  const boxes = shown.filter((b) => b.kind === "node" && b.px >= 10 && b.x1 >= 0 && b.y1 >= 0 && b.x2 <= w && b.y2 <= h);
  const top = kgExplorer.data.nodes
    .slice()
    .sort((a, b) => b.score.degree - a.score.degree || (a.id < b.id ? -1 : 1))
    .slice(0, 15)
    .map((n) => n.id);
  const readable = new Set(boxes.map((b) => b.id));
  return {
    canvas: [w, h],
    scale: scale,
    drawn: shown.length,
    readable: boxes.length,
    nodesInView: inView.length,
    inView: inView,
    readableIds: boxes.map((b) => b.id),
    overlapping: overlapping.length,
    overlaps: overlapping.map((b) => b.text),
    topReadable: top.filter((id) => readable.has(id)).length,
    topMissing: top.filter((id) => !readable.has(id)),
    firstMissing: (kgExplorer.data.first || []).filter((id) => !readable.has(id)),
    spanX: (Math.max(...xs) - Math.min(...xs)) / w,
    spanY: (Math.max(...ys) - Math.min(...ys)) / h,
    labels: boxes.map((b) => b.text),
  };
}
