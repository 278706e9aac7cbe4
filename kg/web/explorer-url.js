/* The zhipu-kg explorer's address: the view (language, hidden classes, date, what is selected)
   is written into the URL's query as it changes (history.replaceState), and read back when the
   page opens, so a link reopens the same view. Other parameters (the server's focus) stay. */
(function () {
  "use strict";

  const RESOURCE = "https://w3id.org/zhipu-kg/resource/";
  const KEYS = ["lang", "hide", "date", "node", "fact", "from", "to"];
  const short = (id) => (id.startsWith(RESOURCE) ? "kgr:" + id.slice(RESOURCE.length) : id);
  const long = (id) => (id.startsWith("kgr:") ? RESOURCE + id.slice(4) : id);

  /**
   * The view the address asks for.
   * @returns {{lang: ?string, hidden: string[], date: ?string, node: ?string, fact: ?string, from: ?string, to: ?string}}
   */
  function read() {
    const query = new URLSearchParams(window.location.search);
    const lang = query.get("lang");
    return {
      lang: lang === "en" || lang === "zh" ? lang : null,
      hidden: (query.get("hide") || "").split(",").filter(Boolean),
      date: query.get("date") || null,
      node: query.get("node") ? long(query.get("node")) : null,
      fact: query.get("fact") || null,
      from: query.get("from"),
      to: query.get("to"),
    };
  }

  /**
   * Record the view in the address, replacing the current history entry.
   * @param {{lang: string, hidden: string[], date: ?string, selection: ?object, factOf: function(string): string}} view
   */
  function write(view) {
    const query = new URLSearchParams(window.location.search);
    for (const key of KEYS) query.delete(key);
    query.set("lang", view.lang);
    if (view.hidden.length) query.set("hide", view.hidden.slice().sort().join(","));
    if (view.date) query.set("date", view.date);
    const s = view.selection;
    if (s && s.kind === "node") query.set("node", short(s.id));
    else if (s && s.kind === "fact") query.set("fact", s.id);
    else if (s && s.kind === "edge" && view.factOf(s.id)) query.set("fact", view.factOf(s.id));
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

  window.KgUrl = { read: read, write: write };
})();
