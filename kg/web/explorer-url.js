/* The zhipu-kg explorer's address: the view (language, hidden classes, date, what sizes the
   nodes, the class or community gone into, what is selected or shown) is written into the URL's
   query as it changes (history.replaceState), and read back when the page opens, so a link
   reopens the same view, in either explorer. Other parameters (the server's focus) stay. */
(function () {
  "use strict";

  const RESOURCE = "https://w3id.org/zhipu-kg/resource/";
  const KEYS = ["lang", "hide", "date", "size", "class", "com", "node", "fact", "edge", "panel", "from", "to"];
  const MEASURES = ["degree", "betweenness", "pagerank"];
  const short = (id) => (id.startsWith(RESOURCE) ? "kgr:" + id.slice(RESOURCE.length) : id);
  const long = (id) => (id.startsWith("kgr:") ? RESOURCE + id.slice(4) : id);

  /**
   * An edge's name in the address, the same in both explorers: its ends (CURIEs), relation and
   * the fact it draws, space-separated.
   * @param {?{from: string, to: string, relation: string, fact: ?string}} edge
   * @returns {string}
   */
  function edgeKey(edge) {
    return edge ? [short(edge.from), edge.relation, short(edge.to), edge.fact].filter(Boolean).join(" ") : "";
  }

  /**
   * The view the address asks for.
   * @returns {{lang: ?string, hidden: string[], date: ?string, size: ?string, klass: ?string, community: ?string, node: ?string, fact: ?string, edge: ?string, panel: ?string, from: ?string, to: ?string}}
   */
  function read() {
    const query = new URLSearchParams(window.location.search);
    const lang = query.get("lang");
    return {
      lang: lang === "en" || lang === "zh" ? lang : null,
      hidden: (query.get("hide") || "").split(",").filter(Boolean),
      date: query.get("date") || null,
      size: MEASURES.includes(query.get("size")) ? query.get("size") : null,
      klass: query.get("class") || null, // a class gone into (the large view)
      community: query.get("com") ? long(query.get("com")) : null, // by the member it is named after
      node: query.get("node") ? long(query.get("node")) : null,
      fact: query.get("fact") || null,
      edge: query.get("edge") || null, // its ends, relation and fact, space-separated
      panel: query.get("panel") === "ranking" ? "ranking" : null,
      from: query.get("from"),
      to: query.get("to"),
    };
  }

  /**
   * Record the view in the address, replacing the current history entry.
   * @param {{lang: string, hidden: string[], date: ?string, selection: ?object, factOf: function(string): string, edgeOf: (function(*): string|undefined), sizeBy: (string|undefined), klass: (?string|undefined), community: (?string|undefined)}} view
   */
  function write(view) {
    const query = new URLSearchParams(window.location.search);
    for (const key of KEYS) query.delete(key);
    query.set("lang", view.lang);
    if (view.hidden.length) query.set("hide", view.hidden.slice().sort().join(","));
    if (view.date) query.set("date", view.date);
    if (view.sizeBy && view.sizeBy !== "degree") query.set("size", view.sizeBy);
    if (view.klass) query.set("class", view.klass);
    if (view.community) query.set("com", short(view.community));
    const s = view.selection;
    const edge = s && s.kind === "edge" && view.edgeOf ? view.edgeOf(s.id) : "";
    if (s && s.kind === "node") query.set("node", short(s.id));
    else if (s && s.kind === "fact") query.set("fact", s.id);
    else if (edge) query.set("edge", edge);
    else if (s && s.kind === "edge" && view.factOf(s.id)) query.set("fact", view.factOf(s.id));
    else if (s && s.kind === "ranking") query.set("panel", "ranking");
    else if (s && s.kind === "path") {
      query.set("from", s.from);
      query.set("to", s.to);
    }
    try {
      window.history.replaceState(null, "", "?" + query.toString() + window.location.hash);
    } catch (err) {
      // a sandboxed or opaque frame may refuse: the view still works, the address stays
    }
  }

  window.KgUrl = { read: read, write: write, edgeKey: edgeKey };
})();
