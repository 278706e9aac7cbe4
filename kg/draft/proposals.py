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
from dataclasses import dataclass, field
from decimal import Decimal

import kg.draft.cues as cues
from kg.data.quantities import Quantity
from kg.draft.cues import AmountRole
from kg.draft.names import Name, fold, investor_segments
from kg.draft.reading import DateMention, Sentence

__all__ = ["Proposal", "propose"]

_ROLE_WORDS = (
    "联合创始人", "创始人", "副董事长", "董事长", "副总裁", "总裁", "首席执行官", "行政总裁",
    "首席技术官", "首席科学家", "首席财务官", "首席运营官", "副总经理", "总经理", "执行董事",
    "合伙人", "总监", "主席", "院长", "CEO", "COO", "CFO", "CTO",
)  # fmt: skip
_ROLE_RE = "|".join(sorted(_ROLE_WORDS, key=len, reverse=True))
_ROLES_BEFORE = re.compile(rf"(?P<roles>(?:(?:{_ROLE_RE})(?:兼|、)?)+)$")
_FORMER = re.compile(r"前[^，、。]{0,12}$")
_TAKES_POST = re.compile(rf"(?:出任|担任|接任|升任)(?P<roles>(?:(?:{_ROLE_RE})(?:兼|、)?)+)")
_PER_TOKENS = re.compile(r"每\s*(?P<scale>百万|千万|万|千|百)?\s*(?:输入|输出)?\s*tokens?", re.I)
_SCALE = {"百": 100, "千": 1000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000}
_INVESTS = re.compile(r"(?:追加|增加|战略)?(?:投资|注资|增资)")
_KNOWN_ROLES = {"CEO": "Role-CEO", "首席执行官": "Role-CEO", "行政总裁": "Role-CEO",
                "COO": "Role-COO", "首席运营官": "Role-COO"}  # fmt: skip


@dataclass
class Proposal:
    """One proposed fact: its class, roles (property, IRI), values and amounts.

    Attributes:
        cls: The curated class, as a CURIE (``kg:FundingEvent``).
        sentence: The sentence it rests on.
        cues: The words that triggered it, as written.
        roles: (property CURIE, entity IRI) pairs.
        amounts: (property CURIE, quantity, node kind) triples; the kind is ``money``,
            ``share_price``, ``unit_price`` or ``quantity``.
        values: (property CURIE, Turtle term) pairs, e.g. ``("kg:status", "kg:Planned")``.
        date: The date the sentence gives it, if any.
        at: Where its cue is in the sentence.
        reported: Whether the sentence reports it as someone's words (表示, 称, 据…报道);
            the reviewer may make it a claim.
        extra: Other triples of the fact, as (subject IRI, property CURIE, object IRI); the
            fact's own IRI is written ``{fact}``.

    """

    cls: str
    sentence: Sentence
    cues: list[str]
    roles: list[tuple[str, str]] = field(default_factory=list)
    amounts: list[tuple[str, Quantity, str]] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)
    date: DateMention | None = None
    extra: list[tuple[str, str, str]] = field(default_factory=list)
    at: int = 0
    reported: bool = False

    @property
    def confidence(self) -> Decimal:
        """0.5, plus 0.1 per role, amount or date filled, at most 0.9; 0.4 when reported."""
        if self.reported:
            return Decimal("0.4")
        filled = len(self.roles) + len(self.amounts) + (self.date is not None)
        return min(Decimal("0.9"), Decimal("0.5") + Decimal("0.1") * filled)


@dataclass(frozen=True)
class _Context:
    """What :func:`propose` knows of one sentence."""

    sentence: Sentence
    text: str  # folded
    names: list[Name]
    amounts: list[AmountRole]
    dates: list[tuple[int, DateMention]]
    tickers: list[str]
    role_iri: Callable[[str, str], str]

    def rel(self, name: Name) -> tuple[int, int]:
        return name.start - self.sentence.start, name.end - self.sentence.start

    def orgs(self) -> list[Name]:
        return [n for n in self.names if n.kind == "org"]

    def date_before(self, at: int) -> DateMention | None:
        """The last date the sentence gives before offset ``at``."""
        before = [d for s, d in self.dates if s < at]
        return before[-1] if before else None

    def hits(self, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
        """Where the cue words of ``pattern`` are, outside names, and the words as written."""
        spans = [self.rel(n) for n in self.names]
        found = []
        for m in pattern.finditer(self.text):
            if not any(s < m.end() and m.start() < e for s, e in spans):
                found.append((m.start(), self.sentence.text[m.start() : m.end()]))
        return found

    def words(self, pattern: re.Pattern[str]) -> list[str]:
        """The cue words of ``pattern``, as written, outside names."""
        return [word for _, word in self.hits(pattern)]


def _find_dates(text: str, dates: list[DateMention]) -> list[tuple[int, DateMention]]:
    at, found = 0, []
    for d in dates:
        i = text.find(d.text, at)
        if i >= 0:
            found.append((i, d))
            at = i + len(d.text)
    return found


def _money(ctx: _Context, *roles: str) -> list[AmountRole]:
    return [a for a in ctx.amounts if a.role in roles]


def _subject(ctx: _Context, skip: set[str]) -> Name | None:
    """The first organisation of the sentence that is not among ``skip``."""
    return next((n for n in ctx.orgs() if n.iri not in skip), None)


def _investors(ctx: _Context) -> list[Name]:
    spans = investor_segments(ctx.text)
    return [
        n
        for n in ctx.names
        if n.kind == "org" and any(s < ctx.rel(n)[1] and ctx.rel(n)[0] < e for s, e in spans)
    ]


def _unique(names: list[Name]) -> list[str]:
    return list(dict.fromkeys(n.iri for n in names))


def _dated(p: Proposal, ctx: _Context, at: int) -> Proposal:
    p.date = ctx.date_before(at)
    p.at = at
    return p


def _towards(ctx: _Context) -> tuple[Name, Name] | None:
    """``A向B(追加)投资``: the investor A and the investee B, when both are organisations."""
    for o in ctx.orgs():
        end = ctx.rel(o)[1]
        if not ctx.text.startswith("向", end):
            continue
        after = next((n for n in ctx.orgs() if ctx.rel(n)[0] == end + 1), None)
        if after is not None and _INVESTS.match(ctx.text, ctx.rel(after)[1]):
            return o, after
    return None


def _funding(ctx: _Context) -> list[Proposal]:
    hits = ctx.hits(cues.FUNDING)
    amounts = _money(ctx, "funding")
    if not hits and not amounts:
        return []
    first = hits[0][0] if hits else amounts[0].quantity.start
    words = [w for _, w in hits] or [ctx.sentence.text[first - 2 : first].strip() or "获得"]
    investors = _investors(ctx)
    towards = _towards(ctx)
    if towards is not None:
        investors = [towards[0]]
    investee = towards[1] if towards else _subject(ctx, {n.iri for n in investors})
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
        return [_dated(total, ctx, first)]
    p = Proposal("kg:FundingEvent", ctx.sentence, words)
    if investee is not None:
        p.roles.append(("kg:investee", investee.iri))
    p.roles += [("kg:investor", iri) for iri in _unique(investors)]
    if amounts:
        p.amounts.append(("kg:amount", amounts[0].quantity, "money"))
    if span is not None:
        written = ctx.sentence.text[span[0] : span[1]]
        p.values.append(("kg:roundName", f"{_string(written)}@zh"))
    return [_dated(p, ctx, amounts[0].quantity.start if amounts else first)]


def _observations(ctx: _Context) -> list[Proposal]:
    kinds = {
        "valuation": ("kg:Valuation", "估值"),
        "market_cap": ("kg:MarketCapitalisation", "市值"),
        "revenue": ("kg:Revenue", None),
        "loss": ("kg:Loss", None),
    }
    investors = {n.iri for n in _investors(ctx)}
    found = []
    for a in ctx.amounts:
        if a.role not in kinds:
            continue
        cls, _ = kinds[a.role]
        left, _ = cues.clause_of(ctx.text, a.quantity.start, a.quantity.end)
        cue = ctx.sentence.text[left : a.quantity.start].strip()[-6:] or a.quantity.text
        p = Proposal(cls, ctx.sentence, [cue])
        subject = _subject(ctx, investors)
        if subject is not None:
            p.roles.append(("kg:observedEntity", subject.iri))
        p.amounts.append(("kg:amount", a.quantity, "money"))
        found.append(_dated(p, ctx, a.quantity.start))
    return found


def _listing(ctx: _Context) -> list[Proposal]:
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
    org = _subject(ctx, {n.iri for n in _investors(ctx)})
    if org is not None:
        p.roles.append(("kg:organization", org.iri))
    market = cues.market_of(ctx.text[left:right])
    if market is not None:
        p.roles.append(("kg:targetMarket", ctx.role_iri("market", market)))
    if cues.PLAN_LISTING.search(ctx.text[left : cue_at + len(cue)]):
        p.values.append(("kg:status", "kg:Planned"))
    elif core and cues.DONE.search(ctx.text[left:right]) and cue != "买卖":
        p.values.append(("kg:status", "kg:Completed"))
    p.values += [("kg:ticker", _string(t)) for t in ctx.tickers]
    for a in _money(ctx, "proceeds"):
        p.amounts.append(("kg:amount", a.quantity, "money"))
    for a in _money(ctx, "share_price")[:1]:
        p.amounts.append(("kg:sharePrice", a.quantity, "share_price"))
    for a in _money(ctx, "multiple"):
        p.amounts.append(("kg:quantity", a.quantity, "quantity"))
    if not (p.amounts or market or ctx.tickers or (org is not None and core)):
        return []
    return [_dated(p, ctx, cue_at)]


def _releases(ctx: _Context) -> list[Proposal]:
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
        p.roles += [("kg:releasedModel", iri) for iri in _unique(group)]
        if "开源" in ctx.text:
            p.values.append(("kg:openSource", "true"))
        if planned:
            p.values.append(("kg:status", "kg:Planned"))
        found.append(_dated(p, ctx, cue_at))
    return found


def _is_model(name: Name) -> bool:
    return name.kind == "model" and name.new is None and any(c.isdigit() for c in name.text)


def _held(ctx: _Context, person: Name, last_org: Name | None) -> list[tuple[int, str, Name | None]]:
    """The posts a sentence gives a person: (where the role word is, the word, the organisation).

    A role word just before the name (``智谱CEO张鹏``), unless it was a former post
    (``前字节跳动AI Lab总监``); and one taken after it (``加入阶跃星辰担任首席运营官``).
    """
    s, e = ctx.rel(person)
    held: list[tuple[int, str, Name | None]] = []
    m = _ROLES_BEFORE.search(ctx.text[:s])
    if m is not None and not _FORMER.search(ctx.text[: m.start()]):
        ahead = ctx.text[: m.start()]
        org = next(
            (o for o in ctx.orgs() if ctx.rel(o)[1] in (len(ahead), len(ahead.rstrip("的")))),
            None,
        )
        if org is None and ahead.endswith(("、", "与", "和")):
            org = last_org
        at = m.start()
        for word in re.split(r"(兼|、)", m["roles"]):
            if word and word not in ("兼", "、"):
                held.append((at, word, org))
            at += len(word)
    taken = _TAKES_POST.search(ctx.text, e)
    if taken is not None:
        between = [o for o in ctx.orgs() if e <= ctx.rel(o)[0] < taken.start()]
        org = between[-1] if between else None
        at = taken.start("roles")
        for word in re.split(r"(兼|、)", taken["roles"]):
            if word and word not in ("兼", "、"):
                held.append((at, word, org))
            at += len(word)
    return held


def _posts(ctx: _Context) -> list[Proposal]:
    found: list[Proposal] = []
    last_org: Name | None = None
    for person in (n for n in ctx.names if n.kind == "person"):
        for at, word, org in _held(ctx, person, last_org):
            if org is not None:
                last_org = org
            written = ctx.sentence.text[at : at + len(word)]
            role = ctx.role_iri("role", _KNOWN_ROLES.get(word, written))
            p = Proposal("kg:Post", ctx.sentence, [written])
            p.roles.append(("org:heldBy", person.iri))
            if org is not None:
                p.roles.append(("org:postIn", org.iri))
            p.roles.append(("org:role", role))
            p.extra.append((person.iri, "org:holds", "{fact}"))
            p.at = ctx.rel(person)[0]
            found.append(p)
    return found


def _departures(ctx: _Context) -> list[Proposal]:
    found = []
    for m in cues.DEPARTURE.finditer(ctx.text):
        people = [n for n in ctx.names if n.kind == "person" and ctx.rel(n)[1] <= m.start()]
        if not people:
            continue
        person = people[-1]
        p = Proposal("kg:Departure", ctx.sentence, [ctx.sentence.text[m.start() : m.end()]])
        p.roles.append(("kg:person", person.iri))
        before = [o for o in ctx.orgs() if o.end <= person.start]
        ps, _ = ctx.rel(person)
        left, _ = cues.clause_of(ctx.text, ps, ps + 1)
        if before and ctx.rel(before[-1])[0] >= left:
            p.roles.append(("kg:organization", before[-1].iri))
        found.append(_dated(p, ctx, m.start()))
        break
    return found


def _price_changes(ctx: _Context) -> list[Proposal]:
    found = []
    org = _subject(ctx, set())
    if cues.STOCK.search(ctx.text):
        for a in _money(ctx, "up", "down"):
            p = Proposal("kg:PriceChange", ctx.sentence, ctx.words(cues.STOCK))
            if org is not None:
                p.roles.append(("kg:organization", org.iri))
            direction = "kg:Increase" if a.role == "up" else "kg:Decrease"
            p.values.append(("kg:direction", direction))
            p.amounts.append(("kg:quantity", a.quantity, "quantity"))
            found.append(_dated(p, ctx, a.quantity.start))
        return found
    down_hits, up_hits = ctx.hits(cues.PRICE_CUT), ctx.hits(cues.PRICE_RISE)
    down, up = [w for _, w in down_hits], [w for _, w in up_hits]
    prices = _money(ctx, "price_before", "price_after", "unit_price")
    if not (down or up) or not prices:
        return found
    p = Proposal("kg:PriceChange", ctx.sentence, down or up)
    cue_at = (down_hits or up_hits)[0][0]
    left, _ = cues.clause_of(ctx.text, cue_at, cue_at + 1)
    acting = [o for o in ctx.orgs() if left <= ctx.rel(o)[0] < cue_at]
    p.roles += [("kg:organization", iri) for iri in _unique(acting)]
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
    p.amounts += [("kg:quantity", a.quantity, "quantity") for a in _money(ctx, "down", "up")]
    found.append(_dated(p, ctx, cue_at))
    return found


def _string(text: str) -> str:
    from kg.data.sources import turtle_string

    return turtle_string(text)


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
    ctx = _Context(
        sentence,
        text,
        names,
        cues.amount_roles("".join(masked), quantities),
        _find_dates(sentence.text, dates),
        tickers,
        role_iri,
    )
    found: list[Proposal] = []
    for step in (_funding, _observations, _listing, _releases, _posts, _departures):
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
