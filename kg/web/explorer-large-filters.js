// The large explorer's filters: classes shown or hidden (the legend), and the timeline's date,
// after which what had not happened yet, or was not yet reported, is hidden (as the small
// explorer's slider, explorer.js, and kg query --as-of read it). Text only, never markup.
"use strict";

(function () {
  const TIMELINE = 40; // dated facts and relations listed at first, and more each time asked

  /**
   * The filters, sharing the explorer's data and state.
   * @param {object} ctx what the large explorer shares (explorer-large.js)
   * @returns {object} legend, timeline, restore, reveal, setDate, apply
   */
  function install(ctx) {
    const { data, state, renderer, nodeShown, edgeShown, count, $, el, t, name, classLabel, relationLabel } = ctx;
    const dates = Array.from(new Set(data.dates)).sort();
    const dated = [];
    for (let e = 0; e < data.edate.length; e++) if (data.edate[e] >= 0) dated.push(e);
    dated.sort((a, b) => (data.dates[data.edate[a]] < data.dates[data.edate[b]] ? -1 : data.dates[data.edate[a]] > data.dates[data.edate[b]] ? 1 : a - b));
    const slider = $("date-slider");
    slider.max = String(dates.length);
    slider.value = String(dates.length);

    // hidden after the cutoff: what had not happened yet, or was not yet reported
    const after = (d) => d >= 0 && state.cutoff !== null && data.dates[d] > state.cutoff;
    // what the filters leave drawn; sigma draws again only when that changed
    function apply() {
      let moved = false;
      for (let i = 0; i < count; i++) {
        const when = data.ndate[i];
        const shown = state.hidden.has(data.cls[i]) || (when && (after(when[0]) || after(when[1]))) ? 0 : 1;
        moved = moved || shown !== nodeShown[i];
        nodeShown[i] = shown;
      }
      for (let e = 0; e < edgeShown.length; e++) {
        const ends = nodeShown[data.edges[4 * e]] && nodeShown[data.edges[4 * e + 1]];
        const shown = ends && !after(data.edate[e]) && !after(e in data.erep ? data.erep[e] : -1) ? 1 : 0;
        moved = moved || shown !== edgeShown[e];
        edgeShown[e] = shown;
      }
      let shown = 0;
      for (let i = 0; i < count; i++) shown += nodeShown[i];
      $("counts").textContent = t("shown") + ": " + shown.toLocaleString() + " / " + count.toLocaleString();
      if (moved) renderer.refresh();
    }
    let limit = TIMELINE; // how many the timeline lists: the latest first, 40 more each time
    function changed() {
      limit = TIMELINE;
      apply();
      timeline();
      ctx.remember();
    }

    // the edge colours the legend explains: those the data has
    const draft = edgeShown.some((_, e) => ctx.draftOnly(e));
    const coloured = [["curated", ctx.curated.size > 0], ["draft", draft]].filter(([, has]) => has).map(([kind]) => kind);

    function legend() {
      const box = $("legend");
      box.replaceChildren();
      const row = el("div", undefined, "row");
      for (const [key, hide] of [["all", false], ["none", true]]) {
        const button = el("button", t(key));
        button.type = "button";
        button.id = "classes-" + key;
        button.addEventListener("click", () => {
          state.hidden = new Set(hide ? data.classes.map((_, c) => c) : []);
          legend();
          changed();
        });
        row.append(button);
      }
      const all = el("button", t("allClasses"));
      all.type = "button";
      all.className = "way-in";
      all.setAttribute("aria-pressed", String(state.klass < 0));
      all.addEventListener("click", () => ctx.highlightClass(-1));
      box.append(all, row);
      // what an edge's colour says, where the data has such edges
      for (const kind of coloured) {
        const key = el("div", undefined, "edge-key " + kind);
        const swatch = el("span", undefined, "line");
        swatch.style.background = ctx.EDGE[kind];
        key.append(swatch, el("span", t(kind)));
        box.append(key);
      }
      // by family, as the small explorer's legend (the largest family first), then by size
      const family = (c) => data.classes[c].family || "";
      const totals = new Map();
      for (const row of data.classes) totals.set(row.family || "", (totals.get(row.family || "") || 0) + row.count);
      const order = data.classes.map((_, c) => c).sort((a, b) =>
        totals.get(family(b)) - totals.get(family(a)) || (family(a) < family(b) ? -1 : family(a) > family(b) ? 1 : 0) || data.classes[b].count - data.classes[a].count);
      let shown = null;
      for (const c of order) {
        if (family(c) !== shown) {
          shown = family(c);
          const named = data.classes[c]["family_label_" + state.lang] || shown || t("unnamed");
          box.append(el("div", named + " (" + totals.get(shown).toLocaleString() + ")", "family"));
        }
        const line = el("div", undefined, "class-row");
        const tick = el("input");
        tick.type = "checkbox";
        tick.checked = !state.hidden.has(c);
        tick.dataset.class = String(c);
        tick.addEventListener("change", () => {
          if (tick.checked) state.hidden.delete(c);
          else state.hidden.add(c);
          changed();
        });
        const button = el("button");
        button.type = "button";
        button.className = "way-in";
        button.dataset.class = String(c);
        button.setAttribute("aria-pressed", String(state.klass === c));
        const swatch = el("span", undefined, "swatch");
        swatch.style.background = data.classes[c].color;
        button.append(swatch, el("span", classLabel(c)), el("span", " " + data.classes[c].count, "muted"));
        button.addEventListener("click", () => {
          if (state.hidden.delete(c)) changed(); // going into a hidden class shows it again
          ctx.highlightClass(c);
        });
        line.append(tick, button);
        box.append(line);
      }
    }

    function timeline() {
      $("date-label").textContent = state.cutoff || t("allDates");
      const list = $("timeline");
      list.replaceChildren();
      const past = state.cutoff === null ? dated : dated.filter((e) => data.dates[data.edate[e]] <= state.cutoff);
      // the latest first; a fact drawn as several edges once, by its name and amount
      const listed = new Set();
      let k = past.length - 1;
      for (; k >= 0 && listed.size < limit; k--) {
        const e = past[k];
        const row = data.edetails[data.edetail[e]];
        const fact = row ? row[0] : 0;
        if (fact && listed.has("f" + fact)) continue;
        listed.add(fact ? "f" + fact : "e" + e);
        const [s, o, r] = data.edges.slice(4 * e, 4 * e + 3);
        const said = row ? data.estrings[row[state.lang === "zh" ? 1 : 2]] || data.estrings[row[1]] : "";
        const amount = row ? data.estrings[row[state.lang === "zh" ? 5 : 6]] : "";
        const item = el("li");
        item.dataset.edge = String(e);
        const button = el("button", said || name(s) + " — " + relationLabel(r) + " → " + name(o), "link");
        button.type = "button";
        button.addEventListener("click", () => ctx.parts.edges.show(e));
        item.append(el("span", data.dates[data.edate[e]] + " ", "date"), button, amount ? " · " + amount : "");
        list.append(item);
      }
      if (k < 0) return;
      // earlier ones are there: a way to list them, 40 at a time
      const more = el("button", t("earlier").replace("{n}", String(TIMELINE)), "link");
      more.type = "button";
      more.id = "timeline-more";
      more.addEventListener("click", () => {
        limit += TIMELINE;
        timeline();
      });
      const item = el("li", undefined, "more");
      item.append(more);
      list.append(item);
    }

    // the last date on or before `value` (null: all dates), as the slider counts
    function indexOf(value) {
      if (value === null) return dates.length;
      const index = dates.findIndex((d) => d > value);
      return index === -1 ? dates.length : Math.max(index - 1, 0);
    }
    function setDate(value) {
      const index = indexOf(value);
      slider.value = String(index);
      state.cutoff = index < dates.length ? dates[index] : null;
      changed();
    }
    slider.addEventListener("input", () => {
      const index = Number(slider.value);
      state.cutoff = index < dates.length ? dates[index] : null;
      changed();
    });

    /** The view the address asked for: hidden classes (CURIEs) and the date. */
    function restore(hidden, date) {
      const known = new Map(data.classes.map((c, i) => [c.class, i]));
      state.hidden = new Set(hidden.filter((c) => known.has(c)).map((c) => known.get(c)));
      const index = indexOf(date);
      slider.value = String(index);
      state.cutoff = index < dates.length ? dates[index] : null;
      apply();
    }

    /** Show node i again: its class back on, the date moved to show it (a search found it). */
    function reveal(i) {
      state.hidden.delete(data.cls[i]);
      const when = data.ndate[i];
      if (when && (after(when[0]) || after(when[1]))) state.cutoff = null;
      slider.value = String(indexOf(state.cutoff));
      legend();
      changed();
    }

    return { legend, timeline, restore, reveal, setDate, apply };
  }

  window.KgLargeFilters = { install };
})();
