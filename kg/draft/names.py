"""Names in a news text: known entities (linked across scripts) and new ones (by pattern).

Known names are the curated labels and aliases (``kgg:curation``); a sentence written in
Traditional characters is folded to Simplified with OpenCC (:func:`kg.data.hanzi.simplified`)
before matching, as the resolver does, so ``智譜`` links ``kgr:Zhipu``. New names come from
patterns only, never from an optional package: organisation suffixes (集团, 资本, 基金, 科技 …),
investor lists (``由A领投，B、C跟投``), people next to a role word (``CEO张鹏表示``), a Chinese
name with a Latin one in brackets, the subject of a clause that announces something, and Latin
model names with a version (``GLM-4.5``, ``Kimi K2``). Tickers (``2513.HK``, ``股份代號2513``)
are read too. Every name keeps its offsets and its text as written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Dataset, URIRef
from rdflib.namespace import SKOS

from kg.data.hanzi import simplified
from kg.data.namespaces import CURATION_GRAPH, KG
from kg.data.prefixes import PREFIXES
from kg.draft.reading import NameIndex, Sentence

__all__ = [
    "ROLE_WORDS",
    "Name",
    "NameReader",
    "NewEntity",
    "fold",
    "investor_segments",
    "investor_spans",
    "tickers",
]

#: The kinds of names a proposal can use, by the class the graph gives them.
_KINDS = (
    ("org", KG.Organization),
    ("person", KG.Person),
    ("model", KG.AIModel),
    ("model", KG.ModelArchitecture),
    ("model", KG.Product),
    ("market", KG.StockMarket),
    ("place", KG.Place),
    ("role", KG.Role),
)


def fold(text: str) -> str:
    """``text`` in Simplified characters, with the same length (else unchanged).

    >>> fold("智譜董事長")
    '智谱董事长'
    """
    folded = simplified(text)
    if len(folded) == len(text):
        return folded
    return "".join(c if len(s := simplified(c)) != 1 else s for c in text)


@dataclass
class NewEntity:
    """A name the graph does not hold, proposed as a new entity."""

    slug: str
    label: str
    cls: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)

    @property
    def iri(self) -> str:
        """The proposed IRI (``kgr:New-<slug>``)."""
        return f"{PREFIXES['kgr']}New-{self.slug}"


@dataclass(frozen=True)
class Name:
    """A name in a sentence: a known entity (``iri`` from the data) or a new one."""

    start: int
    end: int
    text: str
    iri: str
    kind: str
    new: NewEntity | None = None


# ---------------------------------------------------------------- patterns (on folded text)
_HAN = "\u4e00-\u9fff"
_ORG_SUFFIXES = {
    "股份有限公司": "kg:Company", "有限公司": "kg:Company", "集团": "kg:Company",
    "控股": "kg:Company", "公司": "kg:Company", "科技": "kg:Company", "银行": "kg:Company",
    "证券": "kg:Company", "人寿": "kg:Company", "保险": "kg:Company", "资本": "kg:InvestmentFirm",
    "创投": "kg:InvestmentFirm", "投资": "kg:InvestmentFirm", "资产": "kg:InvestmentFirm",
    "基金": "kg:InvestmentFund", "研究院": "kg:ResearchInstitute",
    "实验室": "kg:ResearchInstitute", "大学": "kg:University", "交易所": "kg:StockMarket",
}  # fmt: skip
_SUFFIX_RE = "|".join(sorted(_ORG_SUFFIXES, key=len, reverse=True))
_ORG = re.compile(rf"(?P<head>[{_HAN}A-Za-z0-9]{{1,14}}?)(?P<tail>(?:{_SUFFIX_RE})+)(?![者方人])")
#: Heads that make no name before a suffix: figures, pronouns, 追加/增加/战略 before 投资.
_NOT_HEAD = re.compile(r"[0-9元亿万轮]|[本该其母子贵我此个家首]$|唯一|追加|增加|战略$")
#: Characters that are function words, which a name rarely holds (因, 就, 给 …), and the verbs
#: of taking a post (``李航出任总裁`` is a person taking a post, not a company before 总裁).
_FUNCTION = re.compile(
    r"[的了是就而也因对作为据在将把被给让向从这那每则令乎几虽但却又还即]|面对|根据"
    r"|出任|担任|接任|升任"
)
_CUT = re.compile(
    r".*(?:获得|获|投资方|包括|宣布|完成|领投|跟投|加码|老股东|股东|服务商|厂商|企业|平台|机构"
    r"|一家|这家|该|其|旗下|来自|联合|以及|与|和|及|的|在|向|从|被|由|是|了|将|对|为|据|称|表示"
    r"|本轮|此前|同时|其中|等|于|至|前|原|新|扣除|引入|共同|加入|出任|担任|接任|升任|、)"
)
_GENERIC = re.compile(
    r"(?:AI|应用|大模型|模型|人工智能|科技|互联网|上市|投资|算力|服务|股份|有限|内地|本|母|子|贵"
    r"|该|这|一|多|各|其他|国有|国资|产业|头部|知名|创业|初创|中国|全球|海外|香港|公开|发售|交易"
    r"|资金|资金来源|战投|融资|多家|席卷|技术|封锁|机构|投资人|投资者|公司)+"
)
_LIST_CUE = re.compile(r"(?:联合领投|领投|跟投|参投|继续加码|共同投资|联合投资)")
_LIST_LEAD = re.compile(r"(?:本轮融资|本轮|老股东|股东|投资方|其中|包括|由|及|并)")
_LIST_AFTER = re.compile(r"(?:基石投资者|投资方|投资者|股东)[，,]?(?:包括|为|有)")
_SEPARATORS = re.compile(r"[、,，]|以及|和|及|与")
_GOT = re.compile(
    rf"(?:获得|拿下了?)(?P<who>[{_HAN}A-Za-z]{{2,16}}?)(?:的)?"
    rf"\s*(?:[0-9数几近约超逾]|[{_HAN}]{{0,4}}轮|投资|追加投资)"
)

ROLE_WORDS = (
    "联合创始人", "创始人", "副董事长", "董事长", "副总裁", "总裁", "首席执行官", "行政总裁",
    "首席技术官", "首席科学家", "首席财务官", "首席运营官", "副总经理", "总经理", "执行董事",
    "合伙人", "总监", "主席", "院长", "CEO", "COO", "CFO", "CTO",
)  # fmt: skip
_ROLE_RE = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左"
    "柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈"
    "饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵"
    "苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_AFTER_NAME = (
    r"(?:表示|称|说|回忆|透露|指出|认为|介绍|坦言|强调|曾|在|于|已|将|与|和|、|，|,|。|：|:"
    r"|共同|接受|此前|也|则|对|（|\(|$)"
)
_PERSON = re.compile(
    rf"(?P<roles>(?:(?:{_ROLE_RE})(?:兼|、)?)+)(?P<name>[{_SURNAMES}][{_HAN}]{{1,2}}?)(?={_AFTER_NAME})"
)
_PERSON_BEFORE = re.compile(
    rf"(?<![{_HAN}])(?P<name>[{_SURNAMES}][{_HAN}]{{1,2}}?)(?:已|将|正式)?(?:出任|担任|接任|升任)"
)
_BRACKETED = re.compile(
    rf"(?P<zh>[{_HAN}]{{2,8}})[（(](?P<latin>[A-Z][A-Za-z0-9 .&-]{{1,30}})[）)]"
)
_SUBJECT = re.compile(
    rf"(?:^|[，,。；;：:]|此前|据悉|同时)(?P<name>[{_HAN}]{{2,6}}?)(?:已|正式|近日|今日)?"
    r"(?:宣布|完成|发布|推出|开源|计划|拟)"
)
_ORG_BEFORE_ROLE = re.compile(
    rf"(?:^|[，,。；;：:])(?P<name>[{_HAN}]{{2,6}}?)(?:的)?(?:联合创始人|创始人|董事长|总裁|CEO)"
)
_JOINED = re.compile(rf"加入(?P<name>[{_HAN}A-Za-z]{{2,8}}?)[，,]?(?:担任|出任|任)")
_SUBJECT_STOP = re.compile(
    r"^(?:此前|今年|去年|明年|公司|本轮|同日|同时|据悉|目前|随后|期内|其|该|他|她|知情人士|官方|"
    r"双方|市场|我们|记者|集团|本公司)"
)
_MODEL = re.compile(
    r"(?<![A-Za-z0-9.\-])(?P<name>[A-Z][A-Za-z]*(?:(?:-| )?[A-Z]?[0-9]+(?:\.[0-9]+)*[A-Za-z]*)+"
    r"(?:-[A-Z][A-Za-z]+)*(?: (?:Pro|Flash|Max|Plus|Turbo|Ultra|Mini|mini|Air|Lite|Nano|Sonnet|Opus"
    r"|Haiku|Instruct|Chat|Thinking|Preview|Vision|Coder))*)(?![A-Za-z0-9])"
)  # an edition after a space (Gemini 2.5 Pro, GPT-4o mini) is part of the name
_LATIN_ORG = re.compile(
    r"(?<![A-Za-z0-9])(?P<name>[A-Z][a-z]+[A-Z][A-Za-z]+|[A-Z][a-z]{3,} AI)(?![A-Za-z0-9])"
)
_TICKERS = re.compile(
    r"(?<![0-9.])(?P<a>[0-9]{4,5}\.HK)(?![A-Za-z])"
    r"|(?:股份代号|股票代码|证券代码)[：:\s]*(?P<b>[0-9]{4,6})"
    r"|[（(](?P<c>[0-9]{4,5})[）)]"
)
_LEGAL = re.compile(r"(?:股份有限公司|有限公司|公司|集团|控股)$")
_SHORTEN = re.compile(r"(?:股份有限公司|有限公司|公司|科技|集团|控股)+$")


def _slug(text: str) -> str:
    ascii_part = re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.")
    if ascii_part and text.isascii():
        return ascii_part
    return "u" + hashlib.sha1(text.encode()).hexdigest()[:8]


def _is_generic(head: str) -> bool:
    return not head or _GENERIC.fullmatch(head) is not None or _FUNCTION.search(head) is not None


class NameReader:
    """The names of one document: known ones from the data, new ones found in the text."""

    def __init__(self, dataset: Dataset) -> None:
        curation = dataset.graph(CURATION_GRAPH)
        names: dict[str, set[str]] = {}
        self._kinds: dict[str, str] = {}
        classes: dict[str, set[object]] = {}
        for kind, cls in _KINDS:  # a kind of several classes (model) takes the subclasses of each
            classes.setdefault(kind, set()).update(
                dataset.transitive_subjects(RDFS.subClassOf, cls)
            )
        for predicate in (RDFS.label, SKOS.altLabel):
            for subject, text in curation.subject_objects(predicate):
                if not (isinstance(subject, URIRef) and str(subject).startswith(PREFIXES["kgr"])):
                    continue
                types = set(dataset.objects(subject, RDF.type))
                if KG.SourceArticle in types or KG.Post in types:
                    continue
                names.setdefault(str(text), set()).add(str(subject))
                kind = next((k for k, c in classes.items() if types & c), "other")
                self._kinds[str(subject)] = kind
        self.index = NameIndex(names)
        self.new: dict[str, NewEntity] = {}
        self._by_name: dict[str, NewEntity] = {}
        self._roles: dict[str, NewEntity] = {}

    def known(self, iri: str) -> bool:
        """Whether the data names ``iri``."""
        return iri in self._kinds

    def role(self, written: str) -> NewEntity:
        """The new role a role word names (``董事长``), proposed once per document."""
        folded = fold(written)
        if folded not in self._roles:
            entity = NewEntity("Role-" + _slug(folded), written, "kg:Role", "role", {folded})
            entity.written.add(written)
            self._roles[folded] = entity
        return self._roles[folded]

    def roles(self) -> list[NewEntity]:
        """The new roles proposed so far."""
        return list(self._roles.values())

    # ------------------------------------------------------------ finding new names
    def _propose(self, written: str, cls: str, kind: str) -> None:
        folded = fold(written).strip()
        if len(folded) < 2 or folded in self.index or folded in self._by_name:
            if folded in self._by_name:
                self._by_name[folded].written.add(written)
            return
        entity = NewEntity(_slug(folded), written, cls, kind, written={written})
        while entity.slug in self.new:
            entity.slug += "x"
        self.new[entity.slug] = entity
        for alias in {folded, written}:
            self._by_name[alias] = entity
        entity.aliases.add(folded) if folded != written else None
        short = _SHORTEN.sub("", folded)
        if (
            kind == "org"
            and short != folded
            and len(short) >= 2
            and not _is_generic(short)
            and short not in self.index
            and short not in self._by_name
        ):
            entity.aliases.add(short)
            self._by_name[short] = entity

    def learn(self, sentence: Sentence) -> None:
        """Find the new names of one sentence (call for every sentence before :meth:`names`)."""
        original = sentence.text
        text = fold(original)
        known = self.index.link(Sentence(sentence.start, sentence.end, text))
        known_spans = [(m.start - sentence.start, m.end - sentence.start, m.iri) for m in known]

        def free(s: int, e: int, kind: str, legal: bool = True) -> bool:
            """No known name overlaps but one inside: a place, or a company in its unit."""
            # 上海 in 上海国投, 微软 in 微软亚洲研究院; never 智谱华章 in its own legal name, nor
            # a person in an organisation (张鹏任 before CEO)
            for ks, ke, iri in known_spans:
                if s < ke and ks < e:
                    inside = s <= ks and ke <= e and (s, e) != (ks, ke)
                    known = self._kinds.get(iri or "") if kind == "org" else None
                    if not inside or (known == "org" and legal) or known == "person":
                        return False
            return True

        for m in _ORG.finditer(text):
            head = m["head"]
            cut = _CUT.match(head)
            start = m.start() + (cut.end() if cut else 0)
            head = text[start : m.start("tail")]
            bare, unit, placed = head, False, False  # 智谱研究院; 上海人工智能实验室
            for ks, ke, iri in known_spans:
                if text[ks:ke] in head:
                    bare = bare.replace(text[ks:ke], "")
                    unit = unit or self._kinds.get(iri or "") == "org"
                    placed = placed or self._kinds.get(iri or "") == "place"
            unit = (unit or (placed and bare != "")) and m["tail"] in ("研究院", "实验室")
            legal = bool(_LEGAL.search(m["tail"]))
            if (
                2 <= len(head) <= 8
                and (not _is_generic(bare) or (unit and not legal))
                and not _FUNCTION.search(head)
                and not _NOT_HEAD.search(head)
            ):
                if not free(start, m.end(), "org", legal):
                    continue
                cls = _ORG_SUFFIXES[next(s for s in _ORG_SUFFIXES if m["tail"].endswith(s))]
                self._propose(original[start : m.end()], cls, "org")
        for s, e in investor_spans(text):
            if free(s, e, "org"):
                self._propose(original[s:e], "kg:Company", "org")
        for m in _BRACKETED.finditer(text):
            if free(*m.span("zh"), "org") and not _is_generic(m["zh"]):
                self._propose(original[m.start("zh") : m.end("zh")], "kg:Company", "org")
                entity = self._by_name.get(m["zh"])
                if entity is not None and m["latin"] not in self.index:
                    entity.aliases.add(m["latin"])
                    self._by_name[m["latin"]] = entity
        subjects = [*_SUBJECT.finditer(text), *_ORG_BEFORE_ROLE.finditer(text)]
        for m in [*subjects, *_JOINED.finditer(text)]:
            name = m["name"]
            if (
                not _SUBJECT_STOP.match(name)
                and not _is_generic(name)
                and free(*m.span("name"), "org")
                and not any(k in name for k in self._by_name if len(k) >= 2)
            ):
                self._propose(original[m.start("name") : m.end("name")], "kg:Company", "org")
        for pattern in (_PERSON, _PERSON_BEFORE):
            for m in pattern.finditer(text):
                if free(*m.span("name"), "person"):
                    self._propose(original[m.start("name") : m.end("name")], "kg:Person", "person")
        for m in _MODEL.finditer(original):
            if free(*m.span("name"), "model"):
                self._propose(m["name"], "kg:LargeLanguageModel", "model")
        for m in _LATIN_ORG.finditer(original):
            if free(*m.span("name"), "org"):
                self._propose(m["name"], "kg:Company", "org")

    def settle(self) -> None:
        """Fold a short name into the full one it shortens (``星河智算`` into ``星河智算科技``)."""
        for entity in list(self.new.values()):
            short = _SHORTEN.sub("", fold(entity.label))
            other = self._by_name.get(short)
            if other is None or other is entity or entity.slug not in self.new:
                continue
            if fold(other.label) != short or other.slug not in self.new:
                continue
            entity.aliases |= {other.label, *other.aliases}
            entity.written |= other.written
            for alias, holder in list(self._by_name.items()):
                if holder is other:
                    self._by_name[alias] = entity
            del self.new[other.slug]

    # ------------------------------------------------------------ names of a sentence
    def names(self, sentence: Sentence) -> list[Name]:
        """The known and new names of a sentence, longest first, without overlaps."""
        original = sentence.text
        text = fold(original)
        found: list[Name] = []
        taken: list[tuple[int, int]] = []
        candidates: list[tuple[int, int, str, NewEntity]] = []
        for alias, entity in self._by_name.items():
            key = fold(alias)
            for hit in re.finditer(re.escape(key), text):
                candidates.append((hit.start(), hit.end(), key, entity))
        for mention in self.index.link(Sentence(sentence.start, sentence.end, text)):
            s, e = mention.start - sentence.start, mention.end - sentence.start
            iri = mention.iri or ""
            if any(cs <= s and e <= ce and (cs, ce) != (s, e) and self._wins(ent, iri)
                   for cs, ce, _, ent in candidates):  # fmt: skip
                continue
            if (s, e) not in taken and any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            kind = self._kinds.get(iri, "other")
            found.append(Name(mention.start, mention.end, original[s:e], iri, kind))
        for s, e, _, entity in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            entity.written.add(original[s:e])
            start = sentence.start + s
            found.append(Name(start, start + e - s, original[s:e], entity.iri, entity.kind, entity))
        return sorted(found, key=lambda n: (n.start, n.iri))

    def _wins(self, entity: NewEntity, iri: str | None) -> bool:
        """Whether a new name wins over a known one inside it (``上海国投`` over ``上海``)."""
        legal = _LEGAL.search(fold(entity.label)) is not None
        return not (entity.kind == "org" and self._kinds.get(iri or "") == "org" and legal)


def investor_segments(text: str) -> list[tuple[int, int]]:
    """Spans of investor lists (``由A领投，B、C跟投``, ``包括A、B及C``, ``获得A投资``)."""
    segments: list[tuple[int, int]] = []
    for cue in _LIST_CUE.finditer(text):
        start = max(text.rfind(c, 0, cue.start()) for c in "，,。；; \u3000") + 1
        found = [
            i + len(w)
            for w in ("由", "获得", "获")
            if (i := text.rfind(w, start, cue.start())) >= 0
        ]
        segments.append((max(found, default=start), cue.start()))
    for lead in _LIST_AFTER.finditer(text):
        ends = [i for c in "，,。；;" if (i := text.find(c, lead.end())) >= 0]
        segments.append((lead.end(), min(ends, default=len(text))))
    for got in _GOT.finditer(text):
        segments.append(got.span("who"))
    return segments


def investor_spans(text: str) -> Iterable[tuple[int, int]]:
    """Spans of the names in investor lists (see :func:`investor_segments`)."""
    for start, end in investor_segments(text):
        at = start
        for part in [*_SEPARATORS.split(text[start:end])]:
            s = text.find(part, at)
            at = s + len(part)
            lead = _LIST_LEAD.match(part)
            if lead:
                s, part = s + lead.end(), part[lead.end() :]
            tail = re.search(r"(?:合共认购|认购|等|共同|分别|继续|也|亦)$", part)
            if tail:
                part = part[: tail.start()]
            if 2 <= len(part) <= 12 and not _is_generic(part) and not re.search(r"\d", part):
                yield s, s + len(part)


def tickers(text: str) -> list[tuple[int, int, str]]:
    """Stock codes as written: ``02513.HK``, ``股份代號：2513`` (its figures), ``智譜（2513）``.

    >>> [t for _, _, t in tickers("智譜（2513）與騰訊（0700.HK）")]
    ['2513', '0700.HK']
    """
    found = []
    for m in _TICKERS.finditer(fold(text)):
        group = next(g for g in ("a", "b", "c") if m[g])
        found.append((m.start(group), m.end(group), text[m.start(group) : m.end(group)]))
    return found
