// The large explorer's tooltip: the node under the pointer named in both languages, with its
// class and aliases, as the small explorer's tooltip (explorer.js) names it. Text only, never
// markup; sigma tells which node is under the pointer (its picking layer, no extra drawing).
// An edge's tooltip comes once the pointer rests on it (explorer-large-edges.js finds the edge:
// sigma's edge picking would draw every edge once more at every frame).
"use strict";

(function () {
  /**
   * The tooltip, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {{text: function(number): string}} a node's tooltip text
   */
  function install(ctx) {
    const { data, state, renderer, $, t, name, classLabel } = ctx;
    const tip = $("tooltip");
    const REST = 150; // ms the pointer rests before an edge's tooltip, as the small explorer's
    let resting = null;
    function place(text, x, y) {
      tip.textContent = text;
      tip.style.left = Math.round(x + 12) + "px";
      tip.style.top = Math.round(y + 12) + "px";
      tip.hidden = false;
    }

    function text(i) {
      const other = data[state.lang === "zh" ? "en" : "zh"][i];
      return [
        name(i),
        other !== name(i) ? other : "",
        classLabel(data.cls[i]),
        data.aliases[i] ? t("aliases") + ": " + data.aliases[i].join(", ") : "",
      ].filter(Boolean).join("\n");
    }

    let over = false; // a node is under the pointer: its tooltip, not an edge's
    renderer.on("enterNode", ({ node }) => {
      over = true;
      window.clearTimeout(resting);
      const at = renderer.framedGraphToViewport(renderer.getNodeDisplayData(node));
      place(text(Number(node)), at.x, at.y);
    });
    renderer.on("leaveNode", () => {
      over = false;
      tip.hidden = true;
    });
    renderer.on("moveBody", ({ event }) => {
      if (over) return;
      tip.hidden = true;
      window.clearTimeout(resting);
      const at = { x: event.x, y: event.y };
      const { width, height } = renderer.getDimensions();
      if (at.x < 0 || at.y < 0 || at.x > width || at.y > height) return; // off the drawing
      resting = window.setTimeout(() => {
        const e = ctx.parts.edges.at(at);
        if (e >= 0) place(ctx.parts.edges.tip(e), at.x, at.y);
      }, REST);
    });
    const hide = () => {
      window.clearTimeout(resting);
      tip.hidden = true;
    };
    renderer.on("leaveStage", hide); // the pointer left the drawing
    renderer.getCamera().on("updated", hide);
    return { text };
  }

  window.KgLargeHover = { install };
})();
