// The query page's named queries, grouped by theme (money, people, technology, the argument,
// sources, then the rest) by their tags, with a search box that filters them by title, summary,
// name and tag in both languages. Built with createElement and text nodes only.
"use strict";

(function () {
  // A query's theme is the first whose tags it carries; the order settles queries with several.
  const THEMES = [
    ["sources", ["evidence", "provenance", "sources"]],
    ["money", ["funding", "money", "valuation", "prices", "ipo", "listing"]],
    ["people", ["people", "executives", "departures"]],
    ["technology", ["technology", "models", "roadmap"]],
    ["argument", ["argument", "claims", "challenges", "business", "strategy", "rivals", "market"]],
  ];
  const ORDER = ["money", "people", "technology", "argument", "sources", "other"];

  function theme(query) {
    for (const [name, tags] of THEMES) {
      if (query.tags.some((tag) => tags.includes(tag))) return name;
    }
    return "other";
  }

  function matches(query, needle) {
    if (!needle) return true;
    const text = [query.name, query.title, query.title_zh, query.summary, query.summary_zh, ...query.tags];
    return text.join(" ").toLowerCase().includes(needle);
  }

  let needle = "";

  /**
   * Draw the grouped list into `list` (and the search box before it, once).
   * @param {HTMLElement} list the #named element
   * @param {object[]} queries the catalogue's queries
   * @param {object} ctx {lang, current, t, el, choose}
   */
  function render(list, queries, ctx) {
    const { lang, current, t, el, choose } = ctx;
    let search = document.getElementById("example-search");
    if (!search) {
      search = el("input", { id: "example-search", type: "search" });
      search.addEventListener("input", () => {
        needle = search.value.trim().toLowerCase();
        render(list, queries, ctx);
      });
      list.before(search);
    }
    search.placeholder = t("searchExamples");
    search.setAttribute("aria-label", t("searchExamples"));
    list.replaceChildren();
    for (const name of ORDER) {
      const members = queries.filter((q) => theme(q) === name && matches(q, needle));
      if (!members.length) continue;
      const items = members.map((query) => {
        const [first, second] = lang === "zh" ? [query.title_zh, query.title] : [query.title, query.title_zh];
        const button = el("button", {
          type: "button",
          className: current === query ? "current" : "",
          title: lang === "zh" ? query.summary_zh : query.summary,
        }, [el("span", { className: "primary" }, [first]), el("span", { className: "secondary" }, [second])]);
        button.dataset.name = query.name;
        button.addEventListener("click", () => choose(query));
        return el("li", {}, [button]);
      });
      const group = el("details", { open: true }, [el("summary", {}, [t("theme_" + name) + ` (${members.length})`]), el("ul", {}, items)]);
      group.dataset.theme = name;
      list.append(el("li", { className: "theme" }, [group]));
    }
    if (!list.children.length) list.append(el("li", { className: "none" }, [t("noExamples")]));
  }

  window.KgExamples = { render: render, theme: theme };
})();
