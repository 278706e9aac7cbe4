"""Proposals about people: posts held (``kg:Post``) and departures (``kg:Departure``)."""

from __future__ import annotations

import re

import kg.draft.cues as cues
from kg.draft.facts import Context, Proposal, dated
from kg.draft.names import ROLE_WORDS, Name

__all__ = ["departures", "posts"]

_ROLE_RE = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
_ROLES_BEFORE = re.compile(rf"(?P<roles>(?:(?:{_ROLE_RE})(?:兼|、)?)+)$")
_FORMER = re.compile(  # 前 and 原 alone, not inside 此前, 目前, 原因 …
    r"(?P<word>(?<![此目之以日年月天提当事先早空面眼向])前(?!往|景|夕)|曾任|历任|原(?![因则本来始创料生])"
    r")[^，、。]{0,12}$"
)
_UNIT_AFTER = re.compile(r"[A-Za-z ]{1,10}$")  # 字节跳动AI Lab总监: a unit named after the company
_TAKES_POST = re.compile(
    rf"(?:出任|担任|接任|升任|曾任|历任)[^，。；]{{0,10}}?(?P<roles>(?:(?:{_ROLE_RE})(?:兼|、)?)+)"
)
_KNOWN_ROLES = {"CEO": "Role-CEO", "首席执行官": "Role-CEO", "行政总裁": "Role-CEO",
                "COO": "Role-COO", "首席运营官": "Role-COO"}  # fmt: skip


def _held(ctx: Context, person: Name, last_org: Name | None) -> list[tuple[int, str, Name | None]]:
    """The posts a sentence gives a person: (where the role word is, the word, the organisation).

    A role word just before the name (``智谱CEO张鹏``, also a former post: ``前字节跳动AI Lab总监``)
    and one taken after it (``加入阶跃星辰担任首席运营官``, ``曾任智谱副总裁``).
    """
    s, e = ctx.rel(person)
    held: list[tuple[int, str, Name | None]] = []
    m = _ROLES_BEFORE.search(ctx.text[:s])
    if m is not None:
        ahead = ctx.text[: m.start()]
        ends = {len(ahead), len(ahead.rstrip("的")), len(_UNIT_AFTER.sub("", ahead))}
        org = next((o for o in ctx.orgs() if ctx.rel(o)[1] in ends), None)
        if org is None and ahead.endswith(("、", "与", "和")):
            org = last_org
        at = m.start()
        for word in re.split(r"(兼|、)", m["roles"]):
            if word and word not in ("兼", "、"):
                held.append((at, word, org))
            at += len(word)
    taken = _TAKES_POST.search(ctx.text, e)
    if taken is not None:
        between = [o for o in ctx.orgs() if e <= ctx.rel(o)[0] < taken.start("roles")]
        org = between[-1] if between else None
        at = taken.start("roles")
        for word in re.split(r"(兼|、)", taken["roles"]):
            if word and word not in ("兼", "、"):
                held.append((at, word, org))
            at += len(word)
    return held


def posts(ctx: Context) -> list[Proposal]:
    """One ``kg:Post`` per role word the sentence gives a person (see :func:`_held`)."""
    found: list[Proposal] = []
    last_org: Name | None = None
    for person in (n for n in ctx.names if n.kind == "person"):
        for at, word, org in _held(ctx, person, last_org):
            if org is not None:
                last_org = org
            written = ctx.sentence.text[at : at + len(word)]
            role = ctx.role_iri("role", _KNOWN_ROLES.get(word, written))
            former = _FORMER.search(ctx.text[:at])
            cue = [written]
            if former is not None:  # a post held before: the reviewer may end it
                cue.append(ctx.sentence.text[former.start() : former.end("word")])
            p = Proposal("kg:Post", ctx.sentence, cue)
            p.roles.append(("org:heldBy", person.iri))
            if org is not None:
                p.roles.append(("org:postIn", org.iri))
            p.roles.append(("org:role", role))
            p.extra.append((person.iri, "org:holds", "{fact}"))
            p.at = ctx.rel(person)[0]
            found.append(p)
    return found


def departures(ctx: Context) -> list[Proposal]:
    """A ``kg:Departure`` of the last person named before a word of leaving (离职, 辞任 …)."""
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
        found.append(dated(p, ctx, m.start()))
        break
    return found
