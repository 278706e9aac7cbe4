// Measures the explorer's current view from vis-network's own drawing state: which node labels
// are drawn, at what size on screen, inside the canvas, overlapping one another or not, and how
// much of the canvas the drawing spans. Evaluated by tests/browser/test_viz_browser.py.
() => {
  const net = kgExplorer.network;
  const canvas = net.canvas.frame.canvas;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const scale = net.getScale();
  const boxes = [];
  const inView = [];
  const xs = [];
  const ys = [];
  for (const node of Object.values(net.body.nodes)) {
    if (node.options.hidden || !kgExplorer.nodes.get(node.id)) continue;
    const at = net.canvasToDOM({ x: node.x, y: node.y });
    xs.push(at.x);
    ys.push(at.y);
    if (at.x >= 0 && at.x <= w && at.y >= 0 && at.y <= h) inView.push(node.id);
    const text = node.options.label;
    const size = node.labelModule.size;
    if (!text || !size.width) continue;
    const px = node.labelModule.fontOptions.size * scale;
    const a = net.canvasToDOM({ x: size.left, y: size.top + (node.labelModule.fontOptions.vadjust || 0) });
    const box = { id: node.id, text: text, px: px, x1: a.x, y1: a.y, x2: a.x + size.width * scale, y2: a.y + size.height * scale };
    if (px >= 10 && box.x1 >= 0 && box.y1 >= 0 && box.x2 <= w && box.y2 <= h) boxes.push(box);
  }
  const overlapping = boxes.filter((b) =>
    boxes.some((o) => o !== b && b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2),
  );
  const top = kgExplorer.data.nodes
    .slice()
    .sort((a, b) => b.score.degree - a.score.degree || (a.id < b.id ? -1 : 1))
    .slice(0, 15)
    .map((n) => n.id);
  const readable = new Set(boxes.map((b) => b.id));
  return {
    canvas: [w, h],
    scale: scale,
    readable: boxes.length,
    nodesInView: inView.length,
    inView: inView,
    readableIds: boxes.map((b) => b.id),
    overlapping: overlapping.length,
    topReadable: top.filter((id) => readable.has(id)).length,
    topMissing: top.filter((id) => !readable.has(id)),
    spanX: (Math.max(...xs) - Math.min(...xs)) / w,
    spanY: (Math.max(...ys) - Math.min(...ys)) / h,
    labels: boxes.map((b) => b.text),
  };
}
