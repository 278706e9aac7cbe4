// The review desk page. Every value from the server is put in the page as text (textContent),
// never as HTML; every decision is a POST with the page's token in X-Desk-Token.
"use strict";
(function () {
  const token = document.querySelector('meta[name="desk-token"]').content;
  const $ = (id) => document.getElementById(id);
  let state = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function say(message, isError) {
    const status = $("status");
    status.textContent = message;
    status.className = isError ? "error" : "";
  }

  async function decide(body) {
    document.body.dataset.busy = "1";
    try {
      return await send(body);
    } finally {
      delete document.body.dataset.busy;
    }
  }

  async function send(body) {
    say("…");
    const response = await fetch("/api/decide", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Desk-Token": token },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      say(answer.error || "refused", true);
      return false;
    }
    await load();
    say(answer.done, false);
    return true;
  }

  function name(entity) {
    const names = [entity.zh, entity.en].filter(Boolean).join(" / ") || entity.iri;
    return el("span", { class: entity.new ? "new" : "", title: entity.iri },
      names + (entity.new ? " (新 · new)" : ""));
  }

  function amountText(amount) {
    const parts = [amount.written || ""];
    const value = amount.value || amount.price;
    if (value) parts.push("= " + value + " " + (amount.currency || amount.priceCurrency || ""));
    if (amount.min) parts.push("≥ " + amount.min);
    if (amount.max) parts.push("≤ " + amount.max);
    return parts.join(" ");
  }

  function factTable(fact) {
    const rows = [];
    const cls = fact.class ? fact.class.zh + " · " + fact.class.en : "";
    rows.push(el("tr", {}, el("td", {}, "类 · class"), el("td", {}, cls)));
    for (const row of fact.rows) {
      const label = (row.property.zh || row.property.curie) + " · " + (row.property.en || "");
      let value;
      if (row.entity) value = name(row.entity);
      else if (row.amount) value = amountText(row.amount);
      else value = row.text || "";
      rows.push(el("tr", { dataset: { property: row.property.curie } }, el("td", {}, label), el("td", {}, value)));
    }
    return el("table", {}, el("tbody", {}, ...rows));
  }

  function namesInput(placeholder) {
    const input = el("input", { list: "names", placeholder: placeholder, autocomplete: "off" });
    input.addEventListener("input", () => suggest(input.value));
    return input;
  }

  let pending = null;
  async function suggest(text) {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const response = await fetch("/api/suggest?q=" + encodeURIComponent(text));
      if (!response.ok) return;
      const list = $("names");
      list.replaceChildren(...(await response.json()).names.map(
        (n) => el("option", { value: n.iri, label: n.name }, n.name)));
    }, 150);
  }

  function editForm(proposal) {
    const field = el("select", { name: "field" },
      el("option", { value: "amount" }, "金额 · amount"),
      el("option", { value: "currency" }, "币种 · currency"),
      el("option", { value: "date" }, "日期 · date"),
      ...state.roles.map((r) => el("option", { value: r.curie }, (r.zh || r.curie) + " · " + r.en)));
    const value = namesInput("值或名称 · value or names (;)");
    const form = el("form", { class: "row edit" }, field, value, el("button", { type: "submit" }, "修改 · Edit"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      decide({ action: "edit", proposal: proposal.name, field: field.value, value: value.value });
    });
    return form;
  }

  function proposalCard(proposal) {
    const note = el("input", { name: "note", placeholder: "备注 · note" });
    const accept = el("button", { type: "button", class: "accept" }, "接受 · Accept");
    const reject = el("button", { type: "button", class: "reject" }, "拒绝 · Reject");
    accept.addEventListener("click", () => decide({ action: "accept", proposal: proposal.name, note: note.value }));
    reject.addEventListener("click", () => decide({ action: "reject", proposal: proposal.name, note: note.value }));
    const meta = "提示词 · cues: " + proposal.cues.join("、") +
      (proposal.confidence !== null ? " · 置信度 · confidence " + proposal.confidence : "") +
      " · " + proposal.start + "–" + proposal.end;
    const card = el("article", { class: "card proposal", id: "p-" + proposal.name, dataset: { name: proposal.name } },
      el("p", { class: "quote" }, "“" + proposal.quote + "”"),
      el("p", { class: "meta" }, meta),
      ...proposal.facts.map(factTable),
      editForm(proposal),
      el("div", { class: "actions" }, note, accept, reject));
    card.addEventListener("mouseenter", () => focus(proposal.name));
    return card;
  }

  function classSelect(selected) {
    const select = el("select", { name: "class", class: "classes" });
    for (const c of state.classes) {
      const option = el("option", { value: c.curie }, (c.zh || c.curie) + " · " + c.en);
      if (c.curie === selected) option.selected = true;
      select.append(option);
    }
    return select;
  }

  function entityCard(entity) {
    const zh = el("input", { name: "label_zh", value: entity.zh });
    const en = el("input", { name: "label_en", value: entity.en, placeholder: "English name" });
    const cls = classSelect(entity.class);
    const save = el("form", { class: "row name" }, el("label", {}, "中文", zh), el("label", {}, "English", en), cls,
      el("button", { type: "submit" }, "保存 · Save"));
    save.addEventListener("submit", (event) => {
      event.preventDefault();
      decide({ action: "name", entity: entity.iri, label_zh: zh.value, label_en: en.value, class: cls.value });
    });
    const existing = namesInput("已有实体 · existing entity");
    const same = el("form", { class: "row same" }, existing, el("button", { type: "submit" }, "同一实体 · Same as"));
    same.addEventListener("submit", (event) => {
      event.preventDefault();
      decide({ action: "same-as", entity: entity.iri, existing: existing.value });
    });
    const maybe = state.xref.filter((x) => x.entity === entity.iri).map((x) => {
      const take = el("button", { type: "button" }, "同一实体 · Same as");
      take.addEventListener("click", () => decide({ action: "same-as", entity: entity.iri, existing: x.existing }));
      return el("p", { class: "row xref", title: x.evidence.join("\n") },
        "可能是 · may be: " + x.existing_name + " (" + x.existing + ") · " + x.score.toFixed(2) + " ", take);
    });
    return el("article", { class: "card entity", dataset: { iri: entity.iri } },
      el("p", { class: "quote" }, entity.zh + " (" + entity.iri + ")"), ...maybe, save, same);
  }

  function focus(name) {
    for (const mark of document.querySelectorAll("#article mark")) {
      mark.classList.toggle("focus", mark.dataset.name === name);
    }
  }

  function article() {
    const text = state.text;
    if (text === null) return [el("p", {}, "原文不在此处 · the article is not here: start the desk with --text FILE")];
    const spans = state.proposals.filter((p) => p.start >= 0).sort((a, b) => a.start - b.start);
    const parts = [];
    let at = 0;
    for (const p of spans) {
      if (p.start < at) continue;
      parts.push(text.slice(at, p.start));
      const mark = el("mark", { dataset: { name: p.name } }, text.slice(p.start, p.end));
      mark.addEventListener("click", () => {
        focus(p.name);
        $("p-" + p.name).scrollIntoView({ behavior: "smooth", block: "center" });
      });
      parts.push(mark);
      at = p.end;
    }
    parts.push(text.slice(at));
    return parts;
  }

  async function load() {
    const response = await fetch("/api/state");
    state = await response.json();
    if (!response.ok) {
      say(state.error, true);
      return;
    }
    $("where").textContent = state.draft + " → " + state.target + " · " + state.user;
    $("left").textContent = "(" + state.proposals.length + ")";
    $("article").replaceChildren(...article());
    $("proposals").replaceChildren(...state.proposals.map(proposalCard));
    $("entities").replaceChildren(...state.entities.map(entityCard));
    const create = document.querySelector("#create select");
    create.replaceChildren(...classSelect("kg:Company").children);
    const undo = $("undo");
    undo.disabled = !state.undo;
    undo.title = state.undo || "";
    document.body.dataset.ready = "true";
  }

  $("undo").addEventListener("click", () => decide({ action: "undo" }));
  $("create").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    decide({ action: "create", label_zh: form.label_zh.value, label_en: form.label_en.value, class: form.elements.namedItem("class").value });
  });
  load().then(() => say(state.proposals.length + " 条提议待审 · proposals to review", false));
})();
