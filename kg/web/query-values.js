// Readable values for the query page: numbers and dates as the CLI writes them (a year stays a
// year, a month a month), money read out in words beside its figure. Returns plain strings.
"use strict";

(function () {
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMBERS = new Set(["decimal", "integer", "double", "float", "long", "int", "short", "nonNegativeInteger", "positiveInteger"]);
  const CURRENCIES = new Set(["CNY", "USD", "HKD", "EUR", "JPY", "GBP"]);
  const UNIT_ZH = { CNY: "元", USD: "美元", HKD: "港元", EUR: "欧元", JPY: "日元", GBP: "英镑" };

  function type(term) {
    return term && term.datatype && term.datatype.startsWith(XSD) ? term.datatype.slice(XSD.length) : "";
  }

  /** The currency code among a row's values, if one of them is one. */
  function currencyOf(binding) {
    for (const term of Object.values(binding || {})) {
      if (term && term.type !== "uri" && CURRENCIES.has(term.value)) return term.value;
    }
    return null;
  }

  function trim(n) {
    return String(Number(n.toFixed(2)));
  }

  function money(value, currency, lang) {
    if (lang === "zh") {
      const unit = UNIT_ZH[currency] || " " + currency;
      const abs = Math.abs(value);
      if (abs >= 1e8) return trim(value / 1e8) + "亿" + unit;
      if (abs >= 1e4) return trim(value / 1e4) + "万" + unit;
      return trim(value) + unit;
    }
    try {
      return new Intl.NumberFormat("en", { style: "currency", currency: currency, notation: "compact", maximumFractionDigits: 2 }).format(value);
    } catch (error) {
      return value.toLocaleString("en") + " " + currency;
    }
  }

  // A number as the CLI's table writes it (kg/query/table.py): thousands grouped from 10,000
  // up (200,000,000 but 1104, an offset), trailing zeros of a fraction dropped, never rounded.
  function number(text) {
    const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
    if (!m) return text;
    const whole = m[2].replace(/^0+(?=\d)/, "");
    const fraction = (m[3] || "").replace(/0+$/, "");
    const grouped = whole.length > 4 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : whole;
    return (m[1] === "-" ? "-" : "") + grouped + (fraction ? "." + fraction : "");
  }

  /**
   * A literal as the page shows it: numbers and dates as the CLI writes them (a date at the
   * precision it was given, 2025-04), a sum of money with its reading in words as a tag.
   * @returns {{text: string, key: *, tag: string}} display text, sort key, small tag ("" for none)
   */
  function literal(term, binding, lang) {
    const kind = type(term);
    if (NUMBERS.has(kind)) {
      const value = Number(term.value);
      if (!Number.isFinite(value)) return { text: term.value, key: term.value, tag: kind };
      const currency = currencyOf(binding);
      const reading = currency && Math.abs(value) >= 1e4 ? money(value, currency, lang) : "";
      return { text: number(term.value), key: value, tag: reading, atomic: true };
    }
    if (kind === "date" || kind === "gYear" || kind === "gYearMonth" || kind === "dateTime") {
      return { text: term.value, key: term.value, tag: "", atomic: true };
    }
    if (kind === "boolean") return { text: term.value, key: term.value, tag: "" };
    // zh and en text needs no tag (its column says which; the hover too), another language does
    const language = term["xml:lang"] || "";
    const tag = language && !/^(zh|en)\b/i.test(language) ? "@" + language : kind && kind !== "string" ? "xsd:" + kind : "";
    return { text: term.value, key: term.value, tag: tag };
  }

  // One cell: {node, key, text}. IRIs show their label (the IRI on hover), entities link to
  // their page, literals are formatted by literal(); all of it as text nodes.
  function cell(term, binding, ctx) {
    const { lang, labelOf, shorten, entityId, el } = ctx;
    const span = el("span");
    if (!term) return { node: span, key: null, text: "" };
    if (term.type === "uri") {
      const label = labelOf(term.value);
      const id = entityId(term.value);
      const shown = label || shorten(term.value);
      if (id !== null) {
        span.append(el("a", { href: "/entity/" + encodeURIComponent(id), title: term.value }, [shown]));
      } else {
        if (label) span.append(el("span", { title: term.value }, [label]), " ");
        span.append(el("code", { title: term.value }, [shorten(term.value)]));
      }
      return { node: span, key: shown, text: shown + " " + shorten(term.value) };
    }
    if (term.type === "bnode") {
      span.append(el("code", {}, ["_:" + term.value]));
      return { node: span, key: term.value, text: term.value };
    }
    const value = literal(term, binding, lang);
    const raw = term.value + (term.datatype ? " (" + shorten(term.datatype) + ")" : term["xml:lang"] ? " @" + term["xml:lang"] : "");
    span.append(el("span", { className: value.atomic ? "literal atomic" : "literal", title: raw }, [value.text]));
    if (value.tag) span.append(" ", el("span", { className: "tag" }, [value.tag]));
    return { node: span, key: value.key, text: value.tag ? value.text + " " + value.tag : value.text };
  }

  window.KgValues = { cell: cell, literal: literal, currencyOf: currencyOf, money: money, number: number };
})();
