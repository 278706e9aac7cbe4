// The large explorer's communities: each drawn as a pale coloured disc under the graph with its
// name (after its best connected member), the largest named first and no two names overlapping;
// a list of them is the way in: a community drilled into is framed, the rest dimmed, and its
// members listed, the best connected first. Text only, never markup.
"use strict";

(function () {
  const LISTED = 30; // communities in the list, the largest first
  const MEMBERS = 60; // members listed when one is drilled into
  const WORDS = {
    zh: { title: "社区(点击进入)", named: (n, size) => n + " 等 " + size.toLocaleString() + " 个", members: "成员", back: "返回全图", all: "全部社区" },
    en: { title: "Communities (click to go in)", named: (n, size) => n + " and " + (size - 1).toLocaleString() + " more", members: "Members", back: "Back to the whole graph", all: "All communities" },
  };

  /**
   * The communities, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {{list: function(), drill: function(number), names: function(): string[]}}
   */
  function install(ctx) {
    const { data, state, renderer, count, $, el, name, nodeButton } = ctx;
    const sizes = new Array(data.communities.length).fill(0);
    for (let i = 0; i < count; i++) sizes[data.com[i]] += 1;
    const words = () => WORDS[state.lang];
    const title = (c) => words().named(name(data.communities[c][3]), sizes[c]);
    const hue = (c) => (c * 137.508) % 360;
    // the discs under the edges, their names over the nodes and under the nodes' labels
    const canvas = renderer.createCanvas("communities", { beforeLayer: "edges" });
    const names = renderer.createCanvas("communityNames", { beforeLayer: "labels" });
    const drawn = []; // the names drawn last, for tests and the export

    function context(layer, width, height) {
      const ratio = window.devicePixelRatio || 1;
      if (layer.width !== Math.round(width * ratio)) layer.width = Math.round(width * ratio);
      if (layer.height !== Math.round(height * ratio)) layer.height = Math.round(height * ratio);
      layer.style.width = width + "px";
      layer.style.height = height + "px";
      const g = layer.getContext("2d");
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);
      return g;
    }

    let discs = []; // [community, centre, radius] of the discs drawn last
    let moving = null; // while the camera moves, the names wait (one layer less to composite)
    function draw() {
      const { width, height } = renderer.getDimensions();
      const g = context(canvas, width, height);
      discs = [];
      data.communities.forEach(([x, y, r], c) => {
        if (sizes[c] < 2) return;
        const at = renderer.graphToViewport({ x, y });
        const edge = renderer.graphToViewport({ x: x + r, y });
        const radius = Math.hypot(edge.x - at.x, edge.y - at.y) + 6;
        if (at.x + radius < 0 || at.y + radius < 0 || at.x - radius > width || at.y - radius > height) return;
        const dim = state.community >= 0 && c !== state.community;
        g.beginPath();
        g.arc(at.x, at.y, radius, 0, 2 * Math.PI);
        g.fillStyle = "hsla(" + hue(c) + ", 70%, 60%, " + (dim ? 0.03 : 0.1) + ")";
        g.strokeStyle = "hsla(" + hue(c) + ", 60%, 45%, " + (dim ? 0.1 : 0.35) + ")";
        g.fill();
        g.stroke();
        discs.push([c, at, radius]);
      });
      if (moving === null) label();
    }
    function label() {
      const { width, height } = renderer.getDimensions();
      drawn.length = 0;
      const taken = [];
      const g = context(names, width, height);
      g.font = "bold 13px system-ui, 'Noto Sans CJK SC', sans-serif";
      g.textAlign = "center";
      for (const [c, at, radius] of discs) {
        if (radius < 40 && drawn.length) continue; // the largest first: a small disc keeps quiet
        const text = title(c);
        const w = g.measureText(text).width + 8;
        const box = [at.x - w / 2, at.y - radius - 16, at.x + w / 2, at.y - radius + 2];
        if (taken.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
        taken.push(box);
        g.lineWidth = 3;
        g.strokeStyle = "rgba(255, 255, 255, 0.9)";
        g.strokeText(text, at.x, at.y - radius - 3);
        g.fillStyle = "hsla(" + hue(c) + ", 60%, 30%, 1)";
        g.fillText(text, at.x, at.y - radius - 3);
        drawn.push(text);
      }
    }
    renderer.on("afterRender", draw);
    draw(); // sigma drew once already, before this layer existed
    renderer.getCamera().on("updated", () => {
      names.style.visibility = "hidden";
      window.clearTimeout(moving);
      moving = window.setTimeout(() => {
        moving = null;
        label();
        names.style.visibility = "visible";
      }, 150);
    });

    function list() {
      const box = $("communities");
      box.replaceChildren();
      $("communities-title").textContent = words().title + " · " + data.communities.length.toLocaleString();
      const all = el("button", words().all, "way-in");
      all.type = "button";
      all.setAttribute("aria-pressed", String(state.community < 0));
      all.addEventListener("click", () => drill(-1));
      box.append(all);
      for (let c = 0; c < Math.min(LISTED, data.communities.length); c++) {
        const button = el("button", undefined, "way-in");
        button.type = "button";
        button.dataset.community = String(c);
        button.setAttribute("aria-pressed", String(state.community === c));
        const swatch = el("span", undefined, "swatch");
        swatch.style.background = "hsl(" + hue(c) + ", 60%, 60%)";
        button.append(swatch, el("span", title(c)));
        button.addEventListener("click", () => drill(c));
        box.append(button);
      }
    }

    /** Go into community c (-1: back to the whole graph). */
    function drill(c) {
      state.community = c;
      state.klass = -1;
      ctx.unselect();
      list();
      if (c < 0) {
        ctx.details();
        renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1 });
        renderer.refresh();
        ctx.remember();
        return;
      }
      const members = [];
      for (let i = 0; i < count; i++) if (data.com[i] === c) members.push(i);
      members.sort((a, b) => data.degree[b] - data.degree[a] || a - b);
      const body = $("details-body");
      const back = el("button", words().back, "link");
      back.type = "button";
      back.addEventListener("click", () => drill(-1));
      const items = el("ol", undefined, "members");
      for (const i of members.slice(0, MEMBERS)) {
        const item = el("li");
        item.append(nodeButton(i));
        items.append(item);
      }
      body.replaceChildren(el("h3", title(c)), back, el("h4", words().members + " (" + members.length.toLocaleString() + ")"), items);
      renderer.getCamera().setState(ctx.frame(members));
      renderer.refresh();
      ctx.remember();
    }

    renderer.on("doubleClickStage", (event) => {
      // a double click inside a community's disc goes into it (the smallest disc holding it)
      const at = renderer.viewportToGraph(event.event);
      let found = -1;
      data.communities.forEach(([x, y, r], c) => {
        if (Math.hypot(at.x - x, at.y - y) <= r && (found < 0 || r < data.communities[found][2])) found = c;
      });
      if (found >= 0) {
        event.preventSigmaDefault();
        drill(found);
      }
    });
    return { list, drill, names: () => drawn.slice() };
  }

  window.KgLargeCommunities = { install };
})();
