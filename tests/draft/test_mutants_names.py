"""Known and new names (kg.draft.names), sentence by sentence, as outlets write them.

The name tests of ``test_names.py`` read the loaded dataset; these read short passages with the
real name reader on a small dataset (``tests/draft/sentence_kit.py``), so a mutation run can
afford them (see docs/mutation.md). Every name is asserted with its offsets.
"""

from __future__ import annotations

import pytest

from kg.draft.names import fold, investor_segments, investor_spans, tickers
from tests.draft.sentence_kit import KGR, name_rows, reader_of


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("智谱宣布，李航出任总裁。", [("智谱", 0, 2, "Zhipu"), ("李航", 5, 7, "new:kg:Person")]),
        ("智谱宣布，张帆出任总裁。", [("智谱", 0, 2, "Zhipu"), ("张帆", 5, 7, "ZhangFan")]),
        (
            "同日，王小川担任百川智能CEO。",
            [("王小川", 3, 6, "new:kg:Person"), ("CEO", 12, 15, "Role-CEO")],
        ),
    ],
)
def test_a_person_taking_a_post_is_no_company(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    # 李航出任 before 总裁 was read as a company named before its president.
    assert name_rows(text) == names


def test_every_class_of_a_kind_gives_it_a_known_model_an_architecture_and_a_product_alike() -> None:
    # The kind "model" is three classes: a curated LLM (a subclass of kg:AIModel) is a model as
    # an architecture is; it read "other" when the last class of the kind replaced the others.
    reader, [sentence] = reader_of(
        "智谱发布大模型GLM-4，基于GLM，上海的腾讯与张鹏出席，港交所CEO致辞。"
    )
    assert [(n.text, n.kind) for n in reader.names(sentence)] == [
        ("智谱", "org"),
        ("大模型", "other"),
        ("GLM-4", "model"),
        ("GLM", "model"),
        ("上海", "place"),
        ("腾讯", "org"),
        ("张鹏", "person"),
        ("港交所", "market"),
        ("CEO", "role"),
    ]
    assert reader.known(KGR + "GLM-4") and reader.known(KGR + "Shanghai")
    assert not reader.known(KGR + "Article") and not reader.known("https://example.org/Other")


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("智谱获得腾讯10亿元投资。", ["腾讯"]),
        # A space between the investor and the figure, as outlets write it.
        ("智谱获得腾讯 10 亿元投资。", ["腾讯"]),
        ("智谱累计获得红杉中国 约 10 亿元投资。", ["红杉中国"]),
        ("深言科技已获得启明创投数千万元天使轮投资。", ["启明创投"]),
        ("智谱拿下了腾讯的追加投资。", ["腾讯"]),
    ],
)
def test_an_investor_after_got(text: str, segments: list[str]) -> None:
    assert [text[s:e] for s, e in investor_segments(text)] == segments


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        # A list that opens the sentence (a headline's second half, a new line) keeps its first
        # character: it read 杉中国 for 红杉中国.
        ("红杉中国领投，腾讯跟投。", ["红杉中国", "腾讯"]),
        ("红杉中国、IDG资本联合领投", ["红杉中国、IDG资本"]),
        ("本轮由红杉中国领投，腾讯跟投。", ["红杉中国", "腾讯"]),
        ("星河智算获红杉中国领投", ["红杉中国"]),
        ("星河智算获得红杉中国领投", ["红杉中国"]),
        ("阶跃星辰完成B轮融资 上海国资领投", ["上海国资"]),
        (
            "投资方包括阿里巴巴、腾讯及北京市人工智能产业投资基金。",
            ["阿里巴巴、腾讯及北京市人工智能产业投资基金"],
        ),
        ("基石投资者為泰康人壽、雲鋒基金，合共認購約12億港元。", ["泰康人壽、雲鋒基金"]),
    ],
)
def test_investor_lists_by_their_cue_words(text: str, segments: list[str]) -> None:
    assert [text[s:e] for s, e in investor_segments(fold(text))] == segments


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # 战略 before the suffix 投资 is the word 战略投资 (a strategic investment), no name:
        # 阿里巴巴战略投资 was proposed as an investment firm.
        ("阿里巴巴战略投资智谱。", [("阿里巴巴", 0, 4, "Alibaba"), ("智谱", 8, 10, "Zhipu")]),
        ("腾讯追加投资智谱。", [("腾讯", 0, 2, "Tencent"), ("智谱", 6, 8, "Zhipu")]),
        ("智谱获得阿里巴巴的战略投资。", [("智谱", 0, 2, "Zhipu"), ("阿里巴巴", 4, 8, "Alibaba")]),
    ],
)
def test_an_investment_is_no_investment_firm(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    assert name_rows(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # The head of a name before its suffix starts after 共同, 加入, 出任 … : 共同投资 was
        # proposed as an investment firm, 张帆加入深言科技 and 李航出任深言科技 as companies.
        (
            "本轮由中关村资本、启明创投等共同投资。",
            [("中关村资本", 3, 8, "new:kg:InvestmentFirm"), ("启明创投", 9, 13, "Qiming")],
        ),
        (
            "张帆加入深言科技，担任CEO。",
            [
                ("张帆", 0, 2, "ZhangFan"),
                ("深言科技", 4, 8, "new:kg:Company"),
                ("CEO", 11, 14, "Role-CEO"),
            ],
        ),
        (
            "张帆、李航出任深言科技联合创始人。",
            [
                ("张帆", 0, 2, "ZhangFan"),
                ("李航", 3, 5, "new:kg:Person"),
                ("深言科技", 7, 11, "new:kg:Company"),
            ],
        ),
    ],
)
def test_the_head_of_a_company_name_starts_after_a_verb(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    assert name_rows(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Words for investors in general are no investor's name: 多家机构 was a company.
        ("由红杉中国、多家机构及3家基金共同投资。", [("红杉中国", 1, 5, "new:kg:Company")]),
        ("本轮由腾讯领投，多家知名机构跟投。", [("腾讯", 3, 5, "Tencent")]),
        ("本轮由腾讯领投，其他投资人跟投。", [("腾讯", 3, 5, "Tencent")]),
    ],
)
def test_investors_in_general_are_no_name(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    assert name_rows(text) == names


NAMES = [
    # Offsets into the article: the second line starts after the first.
    (
        "2月10日，AI 算力服务商星河智算科技宣布完成 5 亿元 B 轮融资。\n"
        "星河智算创始人兼CEO陈立表示，新资金将用于扩建智算中心。",
        [
            ("星河智算科技", 14, 20, "new:kg:Company"),
            ("星河智算", 37, 41, "new:kg:Company"),
            ("CEO", 45, 48, "Role-CEO"),
            ("陈立", 48, 50, "new:kg:Person"),
        ],
    ),
    # A Chinese name with its Latin one in brackets; a Latin model name with a space.
    (
        "月之暗面（Moonshot AI）发布并开源了Kimi K2。",
        [
            ("月之暗面", 0, 4, "new:kg:Company"),
            ("Moonshot AI", 5, 16, "new:kg:Company"),
            ("Kimi K2", 23, 30, "new:kg:LargeLanguageModel"),
        ],
    ),
    # Traditional: a unit of a known company is new, a university, a known place.
    (
        "創始團隊多來自微軟亞洲研究院，清華大學與上海國投參與。",
        [
            ("微軟亞洲研究院", 7, 14, "new:kg:ResearchInstitute"),
            ("清華大學", 15, 19, "new:kg:University"),
            ("上海", 20, 22, "Shanghai"),
        ],
    ),
    # A known company's legal name is the company, not a new one.
    ("北京智谱华章科技股份有限公司公告。", [("智谱华章", 2, 6, "Zhipu")]),
    ("智谱华章科技有限公司成立。", [("智谱华章", 0, 4, "Zhipu")]),
    ("腾讯控股(00700)收涨。", [("腾讯", 0, 2, "Tencent")]),
    # Investor lists: the lead word (老股东, 由) and the tail (等, 继续) are left out.
    (
        "老股东中关村资本、君联资本等继续加码。",
        [
            ("中关村资本", 3, 8, "new:kg:InvestmentFirm"),
            ("君联资本", 9, 13, "new:kg:InvestmentFirm"),
        ],
    ),
    (
        "本轮融资由IDG资本领投，腾讯、五源资本跟投。",
        [
            ("IDG资本", 5, 10, "new:kg:InvestmentFirm"),
            ("腾讯", 13, 15, "Tencent"),
            ("五源资本", 16, 20, "new:kg:InvestmentFirm"),
        ],
    ),
    (
        "基石投资者包括泰康人壽、雲鋒基金及高毅資產，合共認購約12億港元。",
        [
            ("泰康人壽", 7, 11, "new:kg:Company"),
            ("雲鋒基金", 12, 16, "new:kg:InvestmentFund"),
            ("高毅資產", 17, 21, "new:kg:InvestmentFirm"),
        ],
    ),
    (
        "投资方包括阿里巴巴、腾讯、小米及北京市人工智能产业投资基金。",
        [
            ("阿里巴巴", 5, 9, "Alibaba"),
            ("腾讯", 10, 12, "Tencent"),
            ("小米", 13, 15, "new:kg:Company"),
            ("北京市人工智能产业投资基金", 16, 29, "BeijingAIFund"),
        ],
    ),
    (
        "深言科技获得启明创投数千万元天使轮投资。",
        [("深言科技", 0, 4, "new:kg:Company"), ("启明创投", 6, 10, "Qiming")],
    ),
    # A new name that holds a known place wins over it, in every sentence that writes it.
    (
        "上海国投参与。张江科投、上海国投跟投。",
        [
            ("上海国投", 0, 4, "new:kg:Company"),
            ("张江科投", 7, 11, "new:kg:Company"),
            ("上海国投", 12, 16, "new:kg:Company"),
        ],
    ),
    # Latin names: a company in camel case, models with versions.
    (
        "上海AI公司MiniMax计划于今年在香港上市，由DeepMind前员工创立。",
        [
            ("上海", 0, 2, "Shanghai"),
            ("MiniMax", 6, 13, "new:kg:Company"),
            ("DeepMind", 25, 33, "new:kg:Company"),
        ],
    ),
    (
        "OpenAI发布GPT-4o，DeepSeek-V3与Qwen2.5-Max也已上线，GLM-4同日更新。",
        [
            ("OpenAI", 0, 6, "new:kg:Company"),
            ("GPT-4o", 8, 14, "new:kg:LargeLanguageModel"),
            ("DeepSeek-V3", 15, 26, "new:kg:LargeLanguageModel"),
            ("Qwen2.5-Max", 27, 38, "new:kg:LargeLanguageModel"),
            ("GLM-4", 43, 48, "GLM-4"),
        ],
    ),
    # A place, a field and 实验室 or 研究院: an institute's name; a place and 研究院 alone is not.
    (
        "上海人工智能实验室与智谱研究院合作，上海研究院未参与。",
        [
            ("上海人工智能实验室", 0, 9, "new:kg:ResearchInstitute"),
            ("智谱研究院", 10, 15, "new:kg:ResearchInstitute"),
            ("上海", 18, 20, "Shanghai"),
        ],
    ),
    # An edition written after a space belongs to the model's name, in either script.
    (
        "Gemini 2.5 Pro与Claude 3.5 Sonnet同日上线，GPT-4o mini降价。",
        [
            ("Gemini 2.5 Pro", 0, 14, "new:kg:LargeLanguageModel"),
            ("Claude 3.5 Sonnet", 15, 32, "new:kg:LargeLanguageModel"),
            ("GPT-4o mini", 37, 48, "new:kg:LargeLanguageModel"),
        ],
    ),
    (
        "Kimi K2 Thinking隨後開源，GLM-4.5 Air 同步上線。",
        [
            ("Kimi K2 Thinking", 0, 16, "new:kg:LargeLanguageModel"),
            ("GLM-4.5 Air", 21, 32, "new:kg:LargeLanguageModel"),
        ],
    ),
    # People: after a role, before 出任; a company before its founder; 加入 … 担任.
    (
        "深言科技创始人岳岩表示，公司已开源。",
        [("深言科技", 0, 4, "new:kg:Company"), ("岳岩", 7, 9, "new:kg:Person")],
    ),
    (
        "智谱董事长刘德兵、CEO张鹏与首席科学家唐杰共同敲钟。",
        [
            ("智谱", 0, 2, "Zhipu"),
            ("刘德兵", 5, 8, "new:kg:Person"),
            ("CEO", 9, 12, "Role-CEO"),
            ("张鹏", 12, 14, "ZhangPeng"),
            ("唐杰", 20, 22, "TangJie"),
        ],
    ),
    (
        "另一方面，零一万物联合创始人马杰已于近日离职，加入阶跃星辰担任首席运营官。",
        [
            ("零一万物", 5, 9, "new:kg:Company"),
            ("马杰", 14, 16, "new:kg:Person"),
            ("阶跃星辰", 25, 29, "new:kg:Company"),
        ],
    ),
    ("此前，深言科技宣布完成天使轮融资。", [("深言科技", 3, 7, "new:kg:Company")]),
    # Words that are no names: a subject that is a time or a pronoun, generic heads.
    ("目前公司宣布完成融资，今年计划推出新模型。", []),
    ("多家公司宣布裁员，头部投资机构观望。", []),
]


@pytest.mark.parametrize(("text", "names"), NAMES)
def test_names_with_their_offsets(text: str, names: list[tuple[str, int, int, str]]) -> None:
    assert name_rows(text) == names


def _entities(text: str) -> list[tuple[str, str, str, str, list[str], list[str]]]:
    reader, found = reader_of(text)
    for s in found:
        reader.names(s)
    return [
        (e.iri[len(KGR) :], e.label, e.cls, e.kind, sorted(e.aliases), sorted(e.written))
        for e in reader.new.values()
    ]


def test_a_short_name_is_an_alias_of_the_full_one_whichever_comes_first() -> None:
    first = _entities("星河智算科技完成融资，星河智算创始人陈立表示。")
    assert first == [
        (
            "New-u02902ccc",
            "星河智算科技",
            "kg:Company",
            "org",
            ["星河智算"],
            ["星河智算", "星河智算科技"],
        ),
        ("New-uc36f14a4", "陈立", "kg:Person", "person", [], ["陈立"]),
    ]
    # The short name first: two entities until settle() folds the short into the full one.
    later = _entities("星河智算创始人陈立表示。星河智算科技完成融资。")
    assert later == [
        ("New-uc36f14a4", "陈立", "kg:Person", "person", [], ["陈立"]),
        (
            "New-u02902ccc",
            "星河智算科技",
            "kg:Company",
            "org",
            ["星河智算"],
            ["星河智算", "星河智算科技"],
        ),
    ]


def test_new_entities_by_script_bracket_and_slug() -> None:
    assert _entities("月之暗面（Moonshot AI）发布并开源了Kimi K2，社区也写作Kimi-K2。") == [
        (
            "New-u819fc198",
            "月之暗面",
            "kg:Company",
            "org",
            ["Moonshot AI"],
            ["Moonshot AI", "月之暗面"],
        ),
        ("New-Kimi-K2", "Kimi K2", "kg:LargeLanguageModel", "model", [], ["Kimi K2"]),
        # Another entity of the same slug takes the next free one.
        ("New-Kimi-K2x", "Kimi-K2", "kg:LargeLanguageModel", "model", [], ["Kimi-K2"]),
    ]
    # Traditional: the label as written, the Simplified form an alias; a legal name's short form.
    assert _entities("清華大學與泰康人壽控股有限公司參與。") == [
        ("New-ue702c997", "清華大學", "kg:University", "org", ["清华大学"], ["清華大學"]),
        (
            "New-u3be58e7a",
            "泰康人壽控股有限公司",
            "kg:Company",
            "org",
            ["泰康人寿", "泰康人寿控股有限公司"],
            ["泰康人壽控股有限公司"],
        ),
    ]
    # A Latin name that is all punctuation around letters keeps its letters.
    assert _entities("Z.ai与Kimi K2.5 。")[0][:2] == ("New-Kimi-K2.5", "Kimi K2.5")


def test_roles_are_proposed_once_per_document() -> None:
    reader, _ = reader_of("智譜董事長劉德兵。")
    chair = reader.role("董事長")
    assert reader.role("董事长") is chair
    assert (chair.label, chair.cls, chair.kind, chair.aliases, chair.written) == (
        "董事長",
        "kg:Role",
        "role",
        {"董事长"},
        {"董事長"},
    )
    assert chair.iri == KGR + "New-Role-ub95dc946"
    assert reader.role("CTO").iri == KGR + "New-Role-CTO"
    assert [r.label for r in reader.roles()] == ["董事長", "CTO"]
    assert reader.new.keys() == {e.slug for e in reader.new.values()}


def test_tickers_as_written() -> None:
    text = (
        "智譜（2513）股價收跌；智谱（02513.HK）挂牌；（股份代號：2513）；证券代码 688001；"
        "腾讯控股(00700)；A123.HK；12345.HK；3.1416.HK"
    )
    assert tickers(text) == [
        (3, 7, "2513"),
        (16, 24, "02513.HK"),
        (34, 38, "2513"),
        (45, 51, "688001"),
        (57, 62, "00700"),
        (72, 80, "12345.HK"),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A known person is in no organisation's name: 张鹏任 before CEO was a company.
        (
            "张鹏任CEO后，智谱上市，百度观望。",
            [("张鹏", 0, 2, "ZhangPeng"), ("CEO", 3, 6, "Role-CEO"), ("智谱", 8, 10, "Zhipu")],
        ),
        # Labels of an article, of a post and outside the project's IRIs are no names.
        (
            "智谱上市。张鹏任CEO。",
            [("智谱", 0, 2, "Zhipu"), ("张鹏", 5, 7, "ZhangPeng"), ("CEO", 8, 11, "Role-CEO")],
        ),
        # Aliases link as labels do, in any script and case.
        ("智譜華章與z.ai同日公告。", [("智譜華章", 0, 4, "Zhipu"), ("z.ai", 5, 9, "Zhipu")]),
    ],
)
def test_known_names_are_the_data_s_labels_and_aliases_of_its_entities(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    assert name_rows(text) == names


def _learnt(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    """(slug, label, aliases, written) of each new entity after learning, before any names()."""
    reader, _ = reader_of(text)
    return [(e.slug, e.label, sorted(e.aliases), sorted(e.written)) for e in reader.new.values()]


MORE_NAMES = [
    # A name of two entities is both, at one place; a comment is no name; nor a label outside
    # the project's IRIs.
    (
        "华章与大模型公司百度宣布合作。",
        [("华章", 0, 2, "HuazhangPress"), ("华章", 0, 2, "Zhipu"), ("大模型", 3, 6, "Topic")],
    ),
    # A known company's legal name is refused, and the next company still read.
    (
        "北京智谱华章科技股份有限公司与星河智算科技合作。",
        [("智谱华章", 2, 6, "Zhipu"), ("星河智算科技", 15, 21, "new:kg:Company")],
    ),
    ("作者 | 高洪浩\n北京智谱华章科技股份有限公司公告。", [("智谱华章", 11, 15, "Zhipu")]),
    ("本轮由腾讯控股有限公司领投。", [("腾讯", 3, 5, "Tencent")]),
    ("腾讯控股有限公司（Tencent Holdings）公告。", [("腾讯", 0, 2, "Tencent")]),
    # A known company at the end of a new one's name: a unit of it, new.
    ("苏州启明创投宣布完成新一期募资。", [("苏州启明创投", 0, 6, "new:kg:InvestmentFirm")]),
    # A known company's research unit with a generic name is new; a generic unit alone is not.
    (
        "微软人工智能研究院与腾讯人工智能实验室合作。",
        [
            ("微软人工智能研究院", 0, 9, "new:kg:ResearchInstitute"),
            ("腾讯人工智能实验室", 10, 19, "new:kg:ResearchInstitute"),
        ],
    ),
    ("人工智能研究院发布报告。", []),
    ("上海星河科技完成融资。", [("上海星河科技", 0, 6, "new:kg:Company")]),
    ("上海星河科技参与此次合作。", [("上海星河科技", 0, 6, "new:kg:Company")]),
    # A known person inside a new person's name: the new name (张鹏飞 is not 张鹏).
    ("CEO张鹏飞表示，公司将扩招。", [("CEO", 0, 3, "Role-CEO"), ("张鹏飞", 3, 6, "new:kg:Person")]),
    # A head of eight characters before a suffix is a name; of nine, not.
    (
        "北京智源人工智能研究院发布报告。",
        [("北京智源人工智能研究院", 0, 11, "new:kg:ResearchInstitute")],
    ),
    ("北京市智源人工智能研究院发布报告。", []),
    # A subject that holds a new name already read is that name, not another.
    (
        "深言科技完成融资。此前，深言团队宣布扩招。",
        [("深言科技", 0, 4, "new:kg:Company"), ("深言", 12, 14, "new:kg:Company")],
    ),
    # A known name after one skipped inside a new name is still read.
    ("上海国投与腾讯跟投。", [("上海国投", 0, 4, "new:kg:Company"), ("腾讯", 5, 7, "Tencent")]),
    # A new name right before a known one.
    (
        "星河智算科技CEO陈立表示。",
        [
            ("星河智算科技", 0, 6, "new:kg:Company"),
            ("CEO", 6, 9, "Role-CEO"),
            ("陈立", 9, 11, "new:kg:Person"),
        ],
    ),
    (
        "本轮由源码资本、XVC领投。",
        [("源码资本", 3, 7, "new:kg:InvestmentFirm"), ("XVC", 8, 11, "new:kg:Company")],
    ),
]


@pytest.mark.parametrize(("text", "names"), MORE_NAMES)
def test_more_names_with_their_offsets(text: str, names: list[tuple[str, int, int, str]]) -> None:
    assert name_rows(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "北京智谱华章科技股份有限公司与星河智算科技合作。",
        "作者 | 高洪浩\n北京智谱华章科技股份有限公司公告。",
        "本轮由腾讯控股有限公司领投。",
        "腾讯控股有限公司（Tencent Holdings）公告。",
    ],
)
def test_a_known_company_s_legal_name_is_no_new_entity(text: str) -> None:
    assert [label for _, label, _, _ in _learnt(text)] in ([], ["星河智算科技"])


def test_what_a_new_entity_is_called_and_was_written_as_it_is_learnt() -> None:
    # A Latin name that the data holds is no alias of a new Chinese one.
    assert _learnt("北京质朴科技（Zhipu AI）成立。") == [
        ("uceea3c21", "北京质朴科技", ["北京质朴"], ["北京质朴科技"])
    ]
    # Written twice, in two scripts: one entity, both writings.
    assert _learnt("清華大學參與。清华大学参与。") == [
        ("ue702c997", "清華大學", ["清华大学"], ["清华大学", "清華大學"])
    ]
    # A two-character short form is an alias.
    assert _learnt("深言科技完成融资。") == [("u63dbb99e", "深言科技", ["深言"], ["深言科技"])]
    # The short form learnt first is folded into the full name with its own aliases and
    # writings; an entity whose short form is only another's alias is left alone; the
    # entities after it are still settled.
    assert _learnt(
        "星河智算科技完成融资。星河智算集团宣布扩建。騰雲創始人陳立表示。騰雲科技完成融資。"
    ) == [
        ("u02902ccc", "星河智算科技", ["星河智算"], ["星河智算科技"]),
        ("u029e6b7f", "星河智算集团", [], ["星河智算集团"]),
        ("uc36f14a4", "陳立", ["陈立"], ["陳立"]),
        ("uf7774f48", "騰雲科技", ["腾云", "腾云科技", "騰雲"], ["騰雲", "騰雲科技"]),
    ]
    # Slugs: a Latin name as written (an X kept), any other by its hash.
    assert [slug for slug, _, _, _ in _learnt("本轮由源码资本、XVC领投，IDG资本跟投。")] == [
        "u84ef91ab",
        "u85e07cce",
        "XVC",
    ]


def test_a_name_folds_by_phrase_when_its_length_stays() -> None:
    # OpenCC's phrases: 乾隆 keeps 乾, which alone would be 干.
    assert fold("乾隆年間") == "乾隆年间"
    assert fold("頭髮") == "头发"


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("由红杉中国领投", [(1, 5)]),
        # A later 由 or 获 is not the list's.
        ("红杉中国领投，智谱由此获得资金。", [(0, 4)]),
        # The last 获 before the cue.
        ("星河智算此次获得的融资获红杉中国领投", [(12, 16)]),
        # The list after 包括 ends at the first clause mark, or at the end of a headline.
        ("投资方包括阿里巴巴、腾讯，估值达 400 亿元，创新高。", [(5, 12)]),
        ("投资方包括阿里巴巴、腾讯", [(5, 12)]),
        ("投资方包括红杉中国、XVC及腾讯。", [(5, 16)]),
    ],
)
def test_investor_segments_exactly(text: str, segments: list[tuple[int, int]]) -> None:
    assert investor_segments(text) == segments


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        # Each name where it is in the list, not an earlier mention of the same name.
        ("腾讯与红杉中国合作多年，本轮由红杉中国领投，红杉中国合伙人表示。", [(15, 19)]),
        ("老股东中关村资本、君联资本等继续加码。", [(3, 8), (9, 13)]),
        ("腾讯与红杉中国合作多年，本轮由IDG资本、红杉中国领投。", [(15, 20), (21, 25)]),
        # At most twelve characters.
        ("由国家人工智能产业投资基金领投。", [(1, 13)]),
        ("由北京市人工智能产业投资基金领投。", []),
    ],
)
def test_investor_spans_exactly(text: str, spans: list[tuple[int, int]]) -> None:
    assert list(investor_spans(text)) == spans
