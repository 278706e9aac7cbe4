// The large explorer's tooltip: the node under the pointer named in both languages, with its
// class and aliases, as the small explorer's tooltip (explorer.js) names it. Text only, never
// markup; sigma tells which node is under the pointer (its picking layer, no extra drawing).
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

    function text(i) {
      const other = data[state.lang === "zh" ? "en" : "zh"][i];
      return [
        name(i),
        other !== name(i) ? other : "",
        classLabel(data.cls[i]),
        data.aliases[i] ? t("aliases") + ": " + data.aliases[i].join(", ") : "",
      ].filter(Boolean).join("\n");
    }

    renderer.on("enterNode", ({ node }) => {
      const i = Number(node);
      const at = renderer.framedGraphToViewport(renderer.getNodeDisplayData(node));
      tip.textContent = text(i);
      tip.style.left = Math.round(at.x + 12) + "px";
      tip.style.top = Math.round(at.y + 12) + "px";
      tip.hidden = false;
    });
    renderer.on("leaveNode", () => {
      tip.hidden = true;
    });
    renderer.getCamera().on("updated", () => {
      tip.hidden = true;
    });
    return { text };
  }

  window.KgLargeHover = { install };
})();
