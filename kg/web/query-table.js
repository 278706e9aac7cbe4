// The query page's results table: sortable by any column, filtered by text, paged.
// Cells are built by the caller (text nodes and elements only); this module orders them. A row
// may carry a detail (its evidence), drawn under it across the whole table and searched by the filter.
"use strict";

(function () {
  const PAGE_SIZE = 50;
  // past this many columns the table is set smaller, so that it fits a 1280-pixel screen
  const WIDE = 8;

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  }

  /**
   * A table view of SPARQL JSON results.
   * @param {string[]} vars the columns
   * @param {object[]} bindings the rows
   * @param {function(object, string, object): {node: Node, key: *, text: string}} render a cell
   * @param {function(string): string} t the page's translations
   * @param {function(object): ?{node: Node, text: string}} detail what to draw under a row
   */
  function Table(vars, bindings, render, t, detail) {
    this.vars = vars;
    this.rows = bindings.map((binding) => vars.map((name) => render(binding[name], name, binding)));
    this.details = bindings.map((binding) => (detail ? detail(binding) : null));
    this.t = t;
    this.sortBy = -1;
    this.descending = false;
    this.filter = "";
    this.page = 0;
    this.box = el("div", { className: "table-view" });
  }

  Table.prototype.visible = function () {
    const needle = this.filter.trim().toLowerCase();
    let rows = this.rows.map((cells, index) => ({ cells, index, detail: this.details[index] }));
    const has = (text) => text.toLowerCase().includes(needle);
    if (needle) rows = rows.filter((row) => row.cells.some((c) => has(c.text)) || (row.detail && has(row.detail.text)));
    if (this.sortBy >= 0) {
      const column = this.sortBy;
      const sign = this.descending ? -1 : 1;
      rows.sort((a, b) => sign * compare(a.cells[column].key, b.cells[column].key) || a.index - b.index);
    }
    return rows;
  };

  Table.prototype.sort = function (column) {
    this.descending = this.sortBy === column ? !this.descending : false;
    this.sortBy = column;
    this.page = 0;
    this.draw();
  };

  Table.prototype.draw = function () {
    const t = this.t;
    const rows = this.visible();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    const first = this.page * PAGE_SIZE;
    const shown = rows.slice(first, first + PAGE_SIZE);

    const filter = el("input", {
      type: "search",
      className: "filter",
      value: this.filter,
      placeholder: t("filter"),
    });
    filter.setAttribute("aria-label", t("filter"));
    filter.addEventListener("input", () => {
      this.filter = filter.value;
      this.page = 0;
      this.drawBody();
    });
    const head = el(
      "tr",
      {},
      this.vars.map((name, column) => {
        const arrow = this.sortBy === column ? (this.descending ? " ▼" : " ▲") : "";
        // a long name may break after an underscore (?min_<wbr>value), never inside a word
        const words = ("?" + name + arrow)
          .split("_")
          .flatMap((w, i) => (i ? [el("wbr"), el("span", { className: "word" }, ["_" + w])] : [el("span", { className: "word" }, [w])]));
        const th = el("th", { className: "sortable", title: t("sortHint") }, words);
        th.dataset.var = name;
        th.setAttribute("aria-sort", this.sortBy !== column ? "none" : this.descending ? "descending" : "ascending");
        th.addEventListener("click", () => this.sort(column));
        return th;
      }),
    );
    const body = el("tbody", {}, shown.flatMap((row) => this.drawRow(row)));
    const pager = el("div", { className: "pager" });
    const previous = el("button", { type: "button", className: "previous", disabled: this.page === 0 }, ["‹"]);
    const next = el("button", { type: "button", className: "next", disabled: this.page >= pages - 1 }, ["›"]);
    previous.addEventListener("click", () => {
      this.page -= 1;
      this.drawBody();
    });
    next.addEventListener("click", () => {
      this.page += 1;
      this.drawBody();
    });
    const range = rows.length ? `${first + 1}–${first + shown.length}` : "0";
    pager.append(previous, el("span", { className: "range" }, [t("range")(range, rows.length, this.rows.length)]), next);
    this.parts = { filter, body, pager, head };
    this.box.replaceChildren(
      el("div", { className: "table-tools" }, [filter, pager]),
      el("table", { className: this.vars.length > WIDE ? "results wide" : "results" }, [el("thead", {}, [head]), body]),
    );
    return this.box;
  };

  // A row's cells, and its detail on a line of its own under it.
  Table.prototype.drawRow = function (row) {
    const cells = el("tr", { className: "row" }, row.cells.map((c) => el("td", {}, [c.node.cloneNode(true)])));
    if (!row.detail) return [cells];
    cells.classList.add("with-detail");
    const under = el("td", { colSpan: Math.max(this.vars.length, 1) }, [row.detail.node.cloneNode(true)]);
    return [cells, el("tr", { className: "detail" }, [under])];
  };

  // Redraw rows and pager but keep the filter box (and its focus) in place.
  Table.prototype.drawBody = function () {
    const focused = document.activeElement === this.parts.filter;
    const at = this.parts.filter.selectionStart;
    this.draw();
    if (focused) {
      this.parts.filter.focus();
      this.parts.filter.setSelectionRange(at, at);
    }
  };

  window.KgTable = { Table: Table, PAGE_SIZE: PAGE_SIZE };
})();
