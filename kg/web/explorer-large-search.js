// The large explorer's search: a typed name to a node (an exact name first, else the first that
// holds it), suggestions as one types (the best connected names that hold it), and the
// did-you-mean: the small explorer's search (explorer-search.js), the resolver's ranking of the
// closest names by characters and by sound. Python ships the pinyin
// of the common characters once; each node's keys are computed here, from its names, the first
// time a name is not found (a name's characters are read one by one, where the resolver reads a
// name in context: a character with two readings may sound otherwise). Text only.
"use strict";

(function () {
  const RESOURCE = "https://w3id.org/zhipu-kg/resource/";
  const HANZI = /[\u4e00-\u9fff\u3400-\u4dbf]/u;
  const compact = (text) =>
    text.normalize("NFKC").toLowerCase().split(/\s+/u).filter(Boolean).join(" ").replace(/[^\p{L}\p{N}]+/gu, "");

  /**
   * The search, its indices built on first use.
   * @param {object} data the page's data (ids, zh, en, aliases, degree, variants, sounds, sound_variants)
   * @returns {{find: function(string): number, names: function(string, number): string[], suggest: function(string): number[]}}
   *   the node a name finds (-1: none), the names to suggest, the closest nodes' indices (best first)
   */
  function install(data) {
    const count = data.ids.length;
    // full-width forms to their usual ones (NFKC), Traditional characters to Simplified
    const fold = (query) =>
      Array.from(query.normalize("NFKC").trim().toLowerCase(), (ch) => data.variants[ch] || ch).join("").replace(/\s+/g, " ");
    let lowered = null; // each node's names in lower case, made at the first search
    const names = (i) => [data.zh[i], data.en[i], data.ids[i], ...(data.aliases[i] || [])];
    const lower = () => (lowered = lowered || data.ids.map((_, i) => names(i).map((s) => String(s).toLowerCase())));
    function find(query) {
      const q = fold(query);
      if (!q) return -1;
      let partial = -1;
      for (let i = 0; i < count; i++) {
        if (lower()[i].includes(q)) return i;
        if (partial < 0 && lowered[i].some((s) => s.includes(q))) partial = i;
      }
      return partial;
    }
    let byDegree = null; // the nodes, the best connected first, made at the first suggestion
    function suggestions(query, limit) {
      const q = fold(query);
      if (!q) return [];
      byDegree = byDegree || Array.from({ length: count }, (_, i) => i).sort((a, b) => data.degree[b] - data.degree[a] || a - b);
      const found = [];
      for (const i of byDegree) {
        const k = lower()[i].findIndex((s) => s.includes(q));
        if (k >= 0 && k !== 2) found.push(names(i)[k]); // a name, not the id
        if (found.length >= limit) break;
      }
      return found;
    }

    let search = null;
    let index = null; // each id's node, made with the did-you-mean's keys
    function build() {
      index = new Map(data.ids.map((id, i) => [id, i]));
      const reading = new Map();
      for (const [syllable, chars] of Object.entries(data.sounds)) for (const ch of chars) reading.set(ch, syllable);
      const fold = (text) => Array.from(text, (ch) => data.variants[ch] || data.sound_variants[ch] || ch).join("");
      const sound = (text) => compact(Array.from(fold(text), (ch) => reading.get(ch) || ch).join(""));
      const nodes = data.ids.map((id, i) => ({ id, label_zh: data.zh[i], label_en: data.en[i], aliases: data.aliases[i] || [] }));
      const keys = nodes.map((n) => {
        const names = [n.label_zh, n.label_en, ...n.aliases].filter((name) => name && name !== n.id);
        if (n.id.startsWith(RESOURCE)) names.push(n.id.slice(RESOURCE.length));
        const sounds = names.filter((name) => HANZI.test(name)).map(sound);
        return [n.id, Array.from(new Set(names.map(compact))).filter(Boolean).sort(), Array.from(new Set(sounds)).sort()];
      });
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const shared = { nodes, variants: data.variants, search: { keys, sounds: data.sounds, variants: data.sound_variants } };
      return window.KgSearch.install(shared, byId, (id) => data.degree[index.get(id)]);
    }
    function suggest(text) {
      if (search === null) search = build();
      return search.suggest(text).map((id) => index.get(id));
    }
    return { find, names: suggestions, suggest };
  }

  window.KgLargeSearch = { install };
})();
