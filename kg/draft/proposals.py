"""Fact proposals from one sentence, as the curated data writes facts.

Each proposal is one fact of a curated class (``kg:FundingEvent``, ``kg:Listing``,
``kg:Valuation``, ``kg:MarketCapitalisation``, ``kg:Revenue``, ``kg:Loss``, ``kg:ModelRelease``,
``kg:Post``, ``kg:Departure``, ``kg:PriceChange``) with the roles and values the README's "Roles"
table gives it. Every role and value comes from the same sentence; a role the sentence does not
fill is left out, never guessed. A plan stays a plan: a listing the sentence announces with
计划, 拟, 将 … is a ``kg:Listing`` with ``kg:status kg:Planned``, as the curated IPO plan is; a
listing it denies (没有上市计划) is no proposal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import kg.draft.cues as cues
from kg.data.quantities import Quantity
from kg.draft.facts import (
    Context,
    Proposal,
    amounts_as,
    dated,
    find_dates_in,
    investors_of,
    string,
    subject_of,
    unique,
)
from kg.draft.names import Name, fold
from kg.draft.people import departures, posts
from kg.draft.reading import DateMention, Sentence

__all__ = ["Proposal", "propose"]

_PER_TOKENS = re.compile(r"每\s*(?P<scale>百万|千万|万|千|百)?\s*(?:输入|输出)?\s*tokens?", re.I)
_SCALE = {"百": 100, "千": 1000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000}
_FORECAST = re.compile(r"预计|预期|预测|有望|目标|将")
_INVESTS = re.compile(r"(?:追加|增加|战略)?(?:投资|注资|增资)")


def _towards(ctx: Context) -> tuple[Name, Name] | None:
    """``A向B(追加)投资``: the investor A and the investee B, when both are organisations."""
    for o in ctx.orgs():
        end = ctx.rel(o)[1]
        if not ctx.text.startswith("向", end):
            continue
        after = next((n for n in ctx.orgs() if ctx.rel(n)[0] == end + 1), None)
        if after is not None and _INVESTS.match(ctx.text, ctx.rel(after)[1]):
            return o, after
    return None


def _funding(ctx: Context) -> list[Proposal]:
    hits = ctx.hits(cues.FUNDING)
    amounts = amounts_as(ctx, "funding")
    if not hits and not amounts:
        return []
    first = hits[0][0] if hits else amounts[0].quantity.start
    words = [w for _, w in hits] or [ctx.sentence.text[first - 2 : first].strip() or "获得"]
    investors = investors_of(ctx)
    towards = _towards(ctx)
    if towards is not None:
        investors = [towards[0]]
    investee = towards[1] if towards else subject_of(ctx, {n.iri for n in investors})
    span = cues.round_of(ctx.text)
    acted = cues.FUNDED.search(ctx.text[: first + len(words[0])])
    if (investee is None and not investors) or not (investors or amounts or span or acted):
        return []
    left, _ = cues.clause_of(ctx.text, first, first + 1)
    if amounts and not investors and re.search(r"累计|共计|总计", ctx.text[left:first]):
        total = Proposal("kg:FundingTotal", ctx.sentence, [*words, "累计"])
        if investee is not None:
            total.roles.append(("kg:observedEntity", investee.iri))
        total.amounts.append(("kg:amount", amounts[0].quantity, "money"))
        return [dated(total, ctx, first)]
    p = Proposal("kg:FundingEvent", ctx.sentence, words)
    if investee is not None:
        p.roles.append(("kg:investee", investee.iri))
    p.roles += [("kg:investor", iri) for iri in unique(investors)]
    if amounts:
        p.amounts.append(("kg:amount", amounts[0].quantity, "money"))
    if span is not None:
        written = ctx.sentence.text[span[0] : span[1]]
        p.values.append(("kg:roundName", f"{string(written)}@zh"))
    return [dated(p, ctx, amounts[0].quantity.start if amounts else first)]


def _observations(ctx: Context) -> list[Proposal]:
    kinds = {
        "valuation": "kg:Valuation",
        "market_cap": "kg:MarketCapitalisation",
        "revenue": "kg:Revenue",
        "loss": "kg:Loss",
    }
    investors = {n.iri for n in investors_of(ctx)}
    found = []
    for a in ctx.amounts:
        if a.role not in kinds:
            continue
        cls = kinds[a.role]
        left, _ = cues.clause_of(ctx.text, a.quantity.start, a.quantity.end)
        if _FORECAST.search(ctx.text[left : a.quantity.start]):
            continue  # a forecast is no observation
        cue = ctx.sentence.text[left : a.quantity.start].strip()[-6:] or a.quantity.text
        p = Proposal(cls, ctx.sentence, [cue])
        subject = subject_of(ctx, investors)
        if subject is not None:
            p.roles.append(("kg:observedEntity", subject.iri))
        p.amounts.append(("kg:amount", a.quantity, "money"))
        found.append(dated(p, ctx, a.quantity.start))
    return found


def _listing(ctx: Context) -> list[Proposal]:
    hits = ctx.hits(cues.LISTING)
    if not hits or cues.LISTING_NEGATED.search(ctx.text):
        return []
    words = [w for _, w in hits]
    core = [(at, w) for at, w in hits if cues.CORE_LISTING.search(fold(w))]
    cue_at, cue = (core or hits)[0]
    left, right = cues.clause_of(ctx.text, cue_at, cue_at + len(cue))
    if cues.WEIGHED.search(ctx.text[left:right]):
        return []  # weighing a listing is neither a plan nor a listing
    p = Proposal("kg:Listing", ctx.sentence, words)
    org = subject_of(ctx, {n.iri for n in investors_of(ctx)})
    if org is not None:
        p.roles.append(("kg:organization", org.iri))
    market = cues.market_of(ctx.text[left:right])
    if market is not None:
        p.roles.append(("kg:targetMarket", ctx.role_iri("market", market)))
    if cues.PLAN_LISTING.search(ctx.text[left : cue_at + len(cue)]):
        p.values.append(("kg:status", "kg:Planned"))
    elif core and cues.DONE.search(ctx.text[left:right]):
        p.values.append(("kg:status", "kg:Completed"))
    p.values += [("kg:stockCode", string(t)) for t in ctx.tickers]
    for a in amounts_as(ctx, "proceeds"):
        p.amounts.append(("kg:amount", a.quantity, "money"))
    for a in amounts_as(ctx, "share_price")[:1]:
        p.amounts.append(("kg:sharePrice", a.quantity, "share_price"))
    for a in amounts_as(ctx, "multiple"):
        p.amounts.append(("kg:quantity", a.quantity, "quantity"))
    if not (p.amounts or market or ctx.tickers or (org is not None and core)):
        return []
    return [dated(p, ctx, cue_at)]


def _releases(ctx: Context) -> list[Proposal]:
    hits = ctx.hits(cues.RELEASE)
    words = [w for _, w in hits]
    models = [n for n in ctx.names if (n.kind == "model" and n.new is not None) or _is_model(n)]
    if not words or not models:
        return []
    groups: dict[str | None, list[Name]] = {}
    for model in models:
        before = [o for o in ctx.orgs() if o.end <= model.start]
        maker = before[-1] if before else next(iter(ctx.orgs()), None)
        groups.setdefault(maker.iri if maker else None, []).append(model)
    found = []
    cue_at = hits[0][0]
    planned = bool(cues.PLAN.search(ctx.text[:cue_at]))
    for maker_iri, group in groups.items():
        p = Proposal("kg:ModelRelease", ctx.sentence, words)
        if maker_iri is not None:
            p.roles.append(("kg:releasedBy", maker_iri))
        p.roles += [("kg:releasedModel", iri) for iri in unique(group)]
        if "开源" in ctx.text:
            p.values.append(("kg:openSource", "true"))
        if planned:
            p.values.append(("kg:status", "kg:Planned"))
        found.append(dated(p, ctx, cue_at))
    return found


def _is_model(name: Name) -> bool:
    return name.kind == "model" and name.new is None and any(c.isdigit() for c in name.text)


def _price_changes(ctx: Context) -> list[Proposal]:
    found = []
    org = subject_of(ctx, set())
    if cues.STOCK.search(ctx.text):
        for a in amounts_as(ctx, "up", "down"):
            p = Proposal("kg:PriceChange", ctx.sentence, ctx.words(cues.STOCK))
            if org is not None:
                p.roles.append(("kg:organization", org.iri))
            direction = "kg:Increase" if a.role == "up" else "kg:Decrease"
            p.values.append(("kg:direction", direction))
            p.amounts.append(("kg:quantity", a.quantity, "quantity"))
            found.append(dated(p, ctx, a.quantity.start))
        return found
    down_hits, up_hits = ctx.hits(cues.PRICE_CUT), ctx.hits(cues.PRICE_RISE)
    down, up = [w for _, w in down_hits], [w for _, w in up_hits]
    prices = amounts_as(ctx, "price_before", "price_after", "unit_price")
    if not (down or up) or not prices:
        return found
    p = Proposal("kg:PriceChange", ctx.sentence, down or up)
    cue_at = (down_hits or up_hits)[0][0]
    left, _ = cues.clause_of(ctx.text, cue_at, cue_at + 1)
    acting = [o for o in ctx.orgs() if left <= ctx.rel(o)[0] < cue_at]
    if not acting and re.match(r"(?:并|又|也|还|同时)?(?:将|把)", ctx.text[left:cue_at]):
        acting = [org] if org is not None else []  # the clause goes on with the sentence's subject
    p.roles += [("kg:organization", iri) for iri in unique(acting)]
    models = [n for n in ctx.names if n.kind == "model" and left <= ctx.rel(n)[0] < cue_at]
    if models:
        p.roles.append(("kg:product", models[0].iri))
    p.values.append(("kg:direction", "kg:Decrease" if down else "kg:Increase"))
    clause = ctx.text[left : cues.clause_of(ctx.text, cue_at, cue_at + 1)[1]]
    per = _PER_TOKENS.search(clause)
    for a in prices:
        if a.quantity.is_price:
            kind = "unit_price"
        elif per is not None:
            kind = f"per:{_SCALE.get(per['scale'] or '', 1)}:token"
        else:
            continue  # a price per what the sentence does not say
        before = a.role == "price_before" or ctx.text[: a.quantity.start].rstrip().endswith("从")
        p.amounts.append(("kg:priceBefore" if before else "kg:priceAfter", a.quantity, kind))
    if not p.amounts:
        return found  # prices per what the sentence does not say: nothing to propose
    p.amounts += [("kg:quantity", a.quantity, "quantity") for a in amounts_as(ctx, "down", "up")]
    found.append(dated(p, ctx, cue_at))
    return found


def propose(
    sentence: Sentence,
    names: list[Name],
    quantities: list[Quantity],
    dates: list[DateMention],
    tickers: list[str],
    role_iri: Callable[[str, str], str],
) -> list[Proposal]:
    """The fact proposals of one sentence.

    Args:
        sentence: The sentence, as written.
        names: Its known and new names (:meth:`kg.draft.names.NameReader.names`).
        quantities: Its amounts (offsets into the sentence).
        dates: Its dates.
        tickers: Its stock codes, as written.
        role_iri: Gives the IRI of a market (``"market"``, curated local name) or a role
            (``"role"``, a curated role's local name or a role word as written).

    """
    text = fold(sentence.text)
    masked = list(text)
    for n in names:
        s, e = n.start - sentence.start, n.end - sentence.start
        masked[s:e] = "＿" * (e - s)
    ctx = Context(
        sentence,
        text,
        names,
        cues.amount_roles("".join(masked), quantities),
        find_dates_in(sentence.text, dates),
        tickers,
        role_iri,
    )
    found: list[Proposal] = []
    for step in (_funding, _observations, _listing, _releases, posts, departures):
        found += step(ctx)
    found += _price_changes(ctx)
    speech = next(iter(ctx.words(cues.SPEECH)), None)
    if speech is not None:
        said_at = text.find(fold(speech))
        for p in found:
            if p.at > said_at:
                p.reported = True
                p.cues.append(speech)
    return found
