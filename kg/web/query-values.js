// Readable values for the query page: numbers grouped, money with its currency, dates at the
// precision they were given (a year stays a year, a month a month). Returns plain strings.
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

  const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function date(value, kind, lang) {
    const m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
    if (!m) return value;
    const [year, month, day] = [m[1], m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : null];
    const precise = kind === "gYear" ? [year] : kind === "gYearMonth" ? [year, month] : [year, month, day];
    if (lang === "zh") {
      return precise[0] + "年" + (precise[1] ? precise[1] + "月" : "") + (precise[2] ? precise[2] + "日" : "");
    }
    const parts = [];
    if (precise[2]) parts.push(String(precise[2]));
    if (precise[1]) parts.push(MONTHS_EN[precise[1] - 1]);
    parts.push(precise[0]);
    return parts.join(" ") + (kind === "dateTime" && value.length > 10 ? " " + value.slice(11, 16) : "");
  }

  /**
   * A literal as the page shows it.
   * @returns {{text: string, key: *, tag: string}} display text, sort key, small tag ("" for none)
   */
  function literal(term, binding, lang) {
    const kind = type(term);
    if (NUMBERS.has(kind)) {
      const value = Number(term.value);
      if (!Number.isFinite(value)) return { text: term.value, key: term.value, tag: kind };
      const currency = currencyOf(binding);
      if (currency && Math.abs(value) >= 100) return { text: money(value, currency, lang), key: value, tag: "" };
      return { text: value.toLocaleString(lang === "zh" ? "zh-CN" : "en"), key: value, tag: "" };
    }
    if (kind === "date" || kind === "gYear" || kind === "gYearMonth" || kind === "dateTime") {
      return { text: date(term.value, kind, lang), key: term.value, tag: "" };
    }
    if (kind === "boolean") return { text: term.value, key: term.value, tag: "" };
    const tag = term["xml:lang"] ? "@" + term["xml:lang"] : kind && kind !== "string" ? "xsd:" + kind : "";
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
    const raw = term.value + (term.datatype ? " (" + shorten(term.datatype) + ")" : "");
    span.append(el("span", { className: "literal", title: raw }, [value.text]));
    if (value.tag) span.append(el("span", { className: "tag" }, [value.tag]));
    return { node: span, key: value.key, text: value.text };
  }

  window.KgValues = { cell: cell, literal: literal, currencyOf: currencyOf, money: money, date: date };
})();
