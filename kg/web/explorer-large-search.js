// The large explorer's did-you-mean: the small explorer's search (explorer-search.js), the
// resolver's ranking of the closest names by characters and by sound. Python ships the pinyin
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
   * The suggestions for a name not found, built on first use.
   * @param {object} data the page's data (ids, zh, en, aliases, degree, variants, sounds, sound_variants)
   * @returns {{suggest: function(string): number[]}} the closest nodes' indices, best first
   */
  function install(data) {
    let search = null;
    const index = new Map(data.ids.map((id, i) => [id, i]));
    function build() {
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
    return { suggest };
  }

  window.KgLargeSearch = { install };
})();
