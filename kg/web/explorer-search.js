/* The zhipu-kg explorer's search: a typed name → a node, and for a name it cannot find, the
   closest names by characters and by sound, as kg.query.resolve.Names.suggest ranks them (the
   did-you-mean of kg describe, kg path and the server). Python gives the keys (kg/explore/names.py);
   the comparison is difflib.SequenceMatcher's ratio, ported. Nothing here writes markup. */
(function () {
  "use strict";

  const RESOURCE = "https://w3id.org/zhipu-kg/resource/";
  const NOT_WORD = /[^\p{L}\p{N}]+/gu; // Python's [\W_]+
  const HANZI = /[\u4e00-\u9fff\u3400-\u4dbf]/u;

  /** What kg.query.resolve.normalise does: NFKC, case folded, spaces single. */
  const normalise = (text) => text.normalize("NFKC").toLowerCase().split(/\s+/u).filter(Boolean).join(" ");
  /** kg.query.resolve.compact_key: normalised, spaces and punctuation dropped. */
  const compact = (text) => normalise(text).replace(NOT_WORD, "");

  /** Characters of `a` and `b` in matching blocks, as difflib.SequenceMatcher (no junk) finds them. */
  function matched(a, b) {
    const where = new Map();
    b.forEach((ch, j) => {
      if (!where.has(ch)) where.set(ch, []);
      where.get(ch).push(j);
    });
    function longest(alo, ahi, blo, bhi) {
      let [bi, bj, size] = [alo, blo, 0];
      let runs = new Map();
      for (let i = alo; i < ahi; i++) {
        const next = new Map();
        for (const j of where.get(a[i]) || []) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (runs.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > size) [bi, bj, size] = [i - k + 1, j - k + 1, k];
        }
        runs = next;
      }
      return [bi, bj, size];
    }
    let total = 0;
    const queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop();
      const [i, j, k] = longest(alo, ahi, blo, bhi);
      if (!k) continue;
      total += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
    return total;
  }
  /** difflib.SequenceMatcher(None, a, b).ratio(), on code points. */
  function ratio(a, b) {
    const [x, y] = [Array.from(a), Array.from(b)];
    return x.length + y.length ? (2 * matched(x, y)) / (x.length + y.length) : 1;
  }

  /**
   * The search over the drawn nodes.
   * @param {object} data the page's data (nodes, search keys, variants)
   * @param {Map<string, object>} nodeById the nodes by id
   * @param {function(string): number} degree how many edges a node has (the likelier first)
   * @returns {{lookup: function(string, boolean): ?string, suggest: function(string): string[], options: function(): string[]}}
   */
  function install(data, nodeById, degree) {
    const index = data.search || { keys: [], sounds: {}, variants: {} };
    const reading = new Map();
    for (const [syllable, chars] of Object.entries(index.sounds)) for (const ch of chars) reading.set(ch, syllable);
    // a name typed in Traditional characters finds the Simplified one (唐傑 is 唐杰)
    const fold = (text) => Array.from(text, (ch) => (data.variants || {})[ch] || index.variants[ch] || ch).join("");
    const sound = (text) => compact(HANZI.test(text) ? Array.from(fold(text), (ch) => reading.get(ch) || ch).join("") : text);

    const names = new Map();
    const byDegree = data.nodes.slice().sort((a, b) => degree(b.id) - degree(a.id));
    for (const n of byDegree) {
      for (const text of [n.label_zh, n.label_en, ...n.aliases]) {
        const key = (text || "").trim().toLowerCase();
        if (!key) continue;
        if (!names.has(key)) names.set(key, []);
        if (!names.get(key).includes(n.id)) names.get(key).push(n.id);
      }
    }
    function lookup(text, partial) {
      const key = fold((text || "").trim().toLowerCase());
      if (!key) return null;
      if (nodeById.has(text.trim())) return text.trim();
      if (names.has(key)) return names.get(key)[0];
      if (!partial) return null;
      for (const test of [(k) => k.startsWith(key), (k) => k.includes(key)]) {
        for (const [k, ids] of names) if (test(k)) return ids[0];
      }
      return null;
    }
    /** The ids of the closest names to `text`, best first, as Names.suggest ranks them. */
    function suggest(text, limit = 3) {
      let typed = text.trim();
      const curie = /^kgr:(\S*)$/u.exec(typed) || /^<?(https:\/\/w3id\.org\/zhipu-kg\/resource\/\S*?)>?$/u.exec(typed);
      if (curie) typed = curie[1].startsWith(RESOURCE) ? curie[1].slice(RESOURCE.length) : curie[1];
      const wanted = compact(fold(typed));
      if (!wanted) return [];
      const scored = new Map();
      const note = (id, score) => scored.set(id, Math.max(score, scored.get(id) || 0));
      for (const [id, keys] of index.keys) {
        for (const key of keys) {
          const score = ratio(key, wanted);
          if (score >= 0.6) note(id, score);
        }
      }
      const heard = sound(typed);
      if (Array.from(heard).length >= 3) {
        for (const [id, , sounds] of index.keys) {
          for (const key of sounds) {
            const score = key === heard ? 1 : ratio(key, heard) * 0.95;
            if (score >= 0.75) note(id, score);
          }
        }
      }
      const ranked = Array.from(scored.keys()).sort((a, b) => scored.get(b) - scored.get(a) || (a < b ? -1 : 1));
      if (!ranked.length) return [];
      const best = scored.get(ranked[0]);
      return ranked.filter((id) => scored.get(id) >= best - 0.1).slice(0, limit);
    }
    /** The names the search box offers while typing (most connected nodes first). */
    function options() {
      const out = [];
      for (const text of Array.from(names.keys()).slice(0, 3000)) {
        const n = nodeById.get(names.get(text)[0]);
        out.push([n.label_zh, n.label_en, ...n.aliases].find((s) => s.toLowerCase() === text) || text);
      }
      return out;
    }
    return { lookup: lookup, suggest: suggest, options: options };
  }

  window.KgSearch = { install: install };
})();
