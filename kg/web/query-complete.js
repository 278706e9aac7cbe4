// Autocompletion for the query editor (CodeMirror 5, no add-on needed): the project's prefixes,
// the ontology's classes and properties (with their Chinese and English labels) and entity names.
// The list is built with textContent; choosing an item inserts its CURIE.
"use strict";

(function () {
  const LIMIT = 12;
  const WORD = /[\w\u3400-\u9fff:.\-]+$/u;

  /**
   * @param {object} editor a CodeMirror editor
   * @param {function(): {text: string, labels: string[], kind: string}[]} items what can be offered
   */
  function install(editor, items) {
    const list = document.createElement("ul");
    list.id = "completions";
    list.className = "completions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    document.body.append(list);
    let offered = [];
    let active = 0;
    let from = null;

    function close() {
      list.hidden = true;
      offered = [];
      editor.removeKeyMap(keys);
    }

    function pick(index) {
      const item = offered[index];
      if (!item || !from) return;
      editor.replaceRange(item.text, from, editor.getCursor());
      close();
      editor.focus();
    }

    const keys = {
      Up: () => highlight(active - 1),
      Down: () => highlight(active + 1),
      Enter: () => pick(active),
      Tab: () => pick(active),
      Esc: close,
    };

    function highlight(index) {
      if (!offered.length) return;
      active = (index + offered.length) % offered.length;
      for (const [i, li] of Array.from(list.children).entries()) li.classList.toggle("active", i === active);
    }

    function matches(word) {
      const lower = word.toLowerCase();
      const found = [];
      for (const item of items()) {
        const text = item.text.toLowerCase();
        let rank = -1;
        if (text.startsWith(lower) && text !== lower) rank = 0;
        else if (!word.includes(":") && item.labels.some((l) => l.toLowerCase().startsWith(lower))) rank = 1;
        else if (word.length >= 2 && item.labels.some((l) => l.toLowerCase().includes(lower))) rank = 2;
        if (rank >= 0) found.push({ item, rank });
      }
      found.sort((a, b) => a.rank - b.rank || a.item.text.length - b.item.text.length || (a.item.text < b.item.text ? -1 : 1));
      return found.slice(0, LIMIT).map((f) => f.item);
    }

    function open() {
      const cursor = editor.getCursor();
      const before = editor.getLine(cursor.line).slice(0, cursor.ch);
      const found = WORD.exec(before);
      const word = found ? found[0] : "";
      if (word.length < 2 && !word.endsWith(":")) return close();
      offered = matches(word);
      if (!offered.length) return close();
      from = { line: cursor.line, ch: cursor.ch - word.length };
      list.replaceChildren();
      for (const [i, item] of offered.entries()) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.text = item.text;
        const code = document.createElement("code");
        code.textContent = item.text;
        const label = document.createElement("span");
        label.className = "label";
        label.textContent = item.labels.filter(Boolean).join(" · ");
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.kind;
        li.append(code, label, kind);
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          pick(i);
        });
        list.append(li);
      }
      const where = editor.cursorCoords(true, "page");
      list.style.left = where.left + "px";
      list.style.top = where.bottom + 2 + "px";
      list.hidden = false;
      editor.removeKeyMap(keys);
      editor.addKeyMap(keys);
      highlight(0);
    }

    editor.on("inputRead", open);
    editor.on("keyHandled", (_, name) => {
      if (name === "Backspace") open();
    });
    editor.on("blur", () => window.setTimeout(close, 150));
    editor.addKeyMap({ "Ctrl-Space": open });
    return { open: open, close: close };
  }

  const VOCABULARY = `SELECT ?term ?kind (SAMPLE(?zh0) AS ?zh) (SAMPLE(?en0) AS ?en) WHERE {
  ?term a ?kind .
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }
  FILTER(STRSTARTS(STR(?term), STR(kg:)))
  OPTIONAL { ?term rdfs:label ?zh0 FILTER(lang(?zh0) = "zh") }
  OPTIONAL { ?term rdfs:label ?en0 FILTER(lang(?en0) = "en") }
} GROUP BY ?term ?kind`;
  const ENTITIES = `SELECT ?term (SAMPLE(?zh0) AS ?zh) (SAMPLE(?en0) AS ?en) WHERE {
  ?term rdfs:label ?any .
  FILTER(STRSTARTS(STR(?term), STR(kgr:)))
  OPTIONAL { ?term rdfs:label ?zh0 FILTER(lang(?zh0) = "zh") }
  OPTIONAL { ?term rdfs:label ?en0 FILTER(lang(?en0) = "en") }
} GROUP BY ?term`;

  async function select(text) {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query; charset=utf-8", Accept: "application/sparql-results+json" },
      body: text,
    });
    return response.ok ? (await response.json()).results.bindings : [];
  }

  /** What the editor can offer: prefixes, ontology terms and entities, read from /sparql. */
  async function vocabulary(prefixes, shorten) {
    const items = Object.entries(prefixes).map(([prefix, ns]) => ({ text: prefix + ":", labels: [ns], kind: "PREFIX" }));
    const value = (b, k) => (b[k] ? b[k].value : "");
    try {
      for (const b of await select(VOCABULARY)) {
        const kind = value(b, "kind").endsWith("Class") ? "class" : "property";
        items.push({ text: shorten(value(b, "term")), labels: [value(b, "zh"), value(b, "en")], kind: kind });
      }
      for (const b of await select(ENTITIES)) {
        items.push({ text: shorten(value(b, "term")), labels: [value(b, "zh"), value(b, "en")], kind: "entity" });
      }
    } catch (error) {
      // completion is a convenience: the page works without it
    }
    return items.filter((i) => !i.text.startsWith("<"));
  }

  window.KgComplete = { install: install, vocabulary: vocabulary };
})();
