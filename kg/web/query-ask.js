// The query page's question box: a question in words (中文 or English) → a named query.
// While typing, the server's phrase table (GET /ask?q=…) suggests phrases; asking runs the named
// query the question routes to, with the values its slots took, so the answer comes with its
// evidence like any named query. A question no phrase matches shows the closest phrases.
// Everything is written with textContent; the page talks to its own server only.
"use strict";

(function () {
  /**
   * @param {object} ctx {t: translations, el, find(name) → named query, choose(query, values)}
   */
  function install(ctx) {
    const { t, el } = ctx;
    const input = document.getElementById("ask");
    const list = document.getElementById("ask-suggestions");
    const said = document.getElementById("ask-said");
    let asked = 0; // the latest request wins: an older answer arriving late is dropped

    async function fetchAnswer(question) {
      const number = ++asked;
      const response = await fetch("/ask?q=" + encodeURIComponent(question), { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      const answer = await response.json();
      return number === asked ? answer : null;
    }

    function phraseButton(phrase) {
      const button = el("button", { type: "button", className: "phrase" }, [phrase.text]);
      button.dataset.query = phrase.query;
      button.addEventListener("click", () => {
        input.value = phrase.text;
        input.focus();
        if (!/\{[a-z_]+\}/.test(phrase.text)) ask();
        else input.setSelectionRange(phrase.text.indexOf("{"), phrase.text.indexOf("}") + 1);
      });
      return el("li", {}, [button]);
    }

    function show(phrases) {
      list.replaceChildren(...phrases.map(phraseButton));
      list.hidden = phrases.length === 0;
    }

    async function suggest() {
      try {
        const answer = await fetchAnswer(input.value);
        if (answer) show(answer.suggestions);
      } catch (error) {
        show([]);
      }
    }

    async function ask(text) {
      if (typeof text === "string") input.value = text;
      const question = input.value.trim();
      if (!question) return;
      show([]);
      try {
        const answer = await fetchAnswer(question);
        if (!answer) return;
        const named = answer.match ? ctx.find(answer.match.query) : null;
        if (!named) {
          said.replaceChildren(t("noPhrase"));
          said.className = "miss";
          show(answer.closest);
          return;
        }
        const query = ctx.lang() === "zh" ? named.title_zh : named.title;
        const values = Object.entries(answer.match.params);
        const given = values.map(([k, v]) => `${k} = ${v}`).join(", ");
        said.replaceChildren(t("routed"), " ", el("strong", {}, [query]), given ? ` (${given})` : "");
        said.className = "hit";
        said.dataset.query = named.name;
        ctx.choose(named, values);
      } catch (error) {
        said.replaceChildren(`${t("failed")}: ${error}`);
        said.className = "miss";
      }
    }

    input.addEventListener("input", suggest);
    input.addEventListener("focus", suggest);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        ask();
      } else if (event.key === "Escape") {
        show([]);
      }
    });
    document.getElementById("ask-run").addEventListener("click", () => ask());
    document.addEventListener("click", (event) => {
      if (!event.target.closest("#ask-box")) show([]);
    });
    return { ask: ask };
  }

  window.KgAsk = { install: install };
})();
