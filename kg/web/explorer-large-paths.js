// The large explorer's path panel: the first path of kg path's ranking (kg/network/paths.py)
// over what the filters show, found in the page by the small explorer's walker
// (explorer-paths.js) on the edges as sorted indices: as kg path, the server's /path and the
// small explorer's panel give it first when nothing is hidden.
"use strict";

(function () {
  /**
   * The path panel, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {{best: function(number, number): ?number[], show: function(string, string)}}
   */
  function install(ctx) {
    const { data, state, renderer, $, el, t, name, relationLabel, quoteOf, nodeButton } = ctx;
    const ends = (e) => [data.edges[4 * e], data.edges[4 * e + 1]];

    /** The edges (indices) of the first path from node `from` to node `to` over what is shown. */
    function best(from, to, all) {
      if (from === to) return [];
      return window.KgPaths.firstPath(data.paths, ends, from, to, (e) => all || ctx.edgeShown[e] === 1);
    }

    function show(fromText, toText) {
      const words = data.paths_text[state.lang];
      const body = $("details-body");
      body.replaceChildren();
      const [from, to] = [ctx.find(fromText), ctx.find(toText)];
      ctx.unselect();
      state.path = { from: fromText, to: toText, edges: new Set(), nodes: new Set() };
      $("path-from").value = fromText;
      $("path-to").value = toText;
      if (from < 0 || to < 0) {
        body.append(el("p", t("notFound") + (from < 0 ? fromText : toText), "miss"));
        ctx.remember();
        renderer.refresh();
        return;
      }
      const edges = best(from, to, false);
      if (edges === null) {
        // the filters may hide every path there is
        body.append(el("p", best(from, to, true) === null ? words.none : words.hidden, "muted"));
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
          else item.append(nodeButton(s), " — ", ctx.parts.edges.button(e, relationLabel(r)), " → ", nodeButton(o));
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
    return { best: (from, to) => best(from, to, false), show };
  }

  window.KgLargePaths = { install };
})();
