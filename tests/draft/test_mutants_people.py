"""Posts and departures (kg.draft.people), sentence by sentence, as outlets write about people.

The proposal tests reach these rules through whole drafts of the loaded dataset, seconds each;
these read single sentences with the real name reader on a small dataset
(``tests/draft/sentence_kit.py``), so a mutation run can afford them (see docs/mutation.md).
"""

from __future__ import annotations

import pytest

from tests.draft.sentence_kit import summaries


def _posts(text: str) -> list[tuple[str, str | None, str, list[str]]]:
    """(holder, organisation or None, role, cues) of every post, in order."""
    found = []
    for p in summaries(text):
        if p["cls"] != "kg:Post":
            continue
        roles = dict(p["roles"])  # type: ignore[arg-type]
        found.append((roles["org:heldBy"], roles.get("org:postIn"), roles["org:role"], p["cues"]))
    return found  # type: ignore[return-value]


def _departures(text: str) -> list[dict[str, object]]:
    return [p for p in summaries(text) if p["cls"] == "kg:Departure"]


@pytest.mark.parametrize(
    ("text", "posts"),
    [
        # The role word before the name, the organisation before the role.
        (
            "晚点 LatePost 独家获悉，智谱COO张帆已于今年8月离职。",
            [("ZhangFan", "Zhipu", "Role-COO", ["COO"])],
        ),
        # Two roles joined by 、 or 兼: one post each, both in the organisation.
        (
            "智谱联合创始人、总裁王绍兰将兼管商业化团队。",
            [
                ("王绍兰", "Zhipu", "联合创始人", ["联合创始人"]),
                ("王绍兰", "Zhipu", "总裁", ["总裁"]),
            ],
        ),
        (
            "星河智算创始人兼CEO陈立表示，新资金将用于扩建智算中心。",
            [
                ("陈立", "星河智算", "创始人", ["创始人"]),
                ("陈立", "星河智算", "Role-CEO", ["CEO"]),
            ],
        ),
        # 的 between the organisation and the role.
        ("智谱的CEO张鹏在发布会上称，开源是方向。", [("ZhangPeng", "Zhipu", "Role-CEO", ["CEO"])]),
        # A unit named in Latin letters after the company: the post is in the company.
        ("腾讯AI Lab总监张鹏加入智谱。", [("ZhangPeng", "Tencent", "总监", ["总监"])]),
        # No organisation the reader knows before the unit: no organisation, not a guess.
        ("字节跳动AI Lab总监张鹏加入。", [("ZhangPeng", None, "总监", ["总监"])]),
        # Each person takes the organisation just before their own role.
        (
            "腾讯CEO张鹏与智谱总裁张帆出席。",
            [
                ("ZhangPeng", "Tencent", "Role-CEO", ["CEO"]),
                ("ZhangFan", "Zhipu", "总裁", ["总裁"]),
            ],
        ),
    ],
)
def test_a_role_word_before_a_name_is_a_post_in_the_organisation_before_it(
    text: str, posts: list[tuple[str, str | None, str, list[str]]]
) -> None:
    assert _posts(text) == posts


def test_people_listed_after_a_company_share_its_organisation() -> None:
    # 、 and 与 carry the organisation of the last post on to the next person; 和 too.
    text = "智谱董事长刘德兵、CEO张鹏与首席科学家唐杰共同敲钟。"
    assert _posts(text) == [
        ("刘德兵", "Zhipu", "董事长", ["董事长"]),
        ("ZhangPeng", "Zhipu", "Role-CEO", ["CEO"]),
        ("TangJie", "Zhipu", "首席科学家", ["首席科学家"]),
    ]
    assert _posts("智谱总裁张帆和CTO唐杰出席。") == [
        ("ZhangFan", "Zhipu", "总裁", ["总裁"]),
        ("TangJie", "Zhipu", "CTO", ["CTO"]),
    ]
    # Without a post in an organisation before, there is nothing to carry on.
    assert _posts("张帆、CTO唐杰出席。") == [("TangJie", None, "CTO", ["CTO"])]
    # Nor across a comma: another clause is another list.
    assert _posts("腾讯总裁张帆，CTO唐杰出席。") == [
        ("ZhangFan", "Tencent", "总裁", ["总裁"]),
        ("TangJie", None, "CTO", ["CTO"]),
    ]


@pytest.mark.parametrize(
    ("text", "posts"),
    [
        # Taken after the name: 出任, 担任 … a role, in the last organisation between them.
        (
            "另一方面，零一万物联合创始人马杰已于近日离职，加入阶跃星辰担任首席运营官。",
            [
                ("马杰", "零一万物", "联合创始人", ["联合创始人"]),
                ("马杰", "阶跃星辰", "Role-COO", ["首席运营官"]),
            ],
        ),
        (
            "张鹏升任智谱总裁兼CEO。",
            [("ZhangPeng", "Zhipu", "总裁", ["总裁"]), ("ZhangPeng", "Zhipu", "Role-CEO", ["CEO"])],
        ),
        # The last organisation; 、 ends the look back for a word of the past (历任).
        ("张帆历任腾讯、智谱副总裁。", [("ZhangFan", "Zhipu", "副总裁", ["副总裁"])]),
        ("张帆出任首席执行官。", [("ZhangFan", None, "Role-CEO", ["首席执行官"])]),
        (
            "张鹏出任智谱总裁、CEO。",
            [("ZhangPeng", "Zhipu", "总裁", ["总裁"]), ("ZhangPeng", "Zhipu", "Role-CEO", ["CEO"])],
        ),
        # A post taken before the name is another person's.
        ("张帆出任总裁，唐杰留任。", [("ZhangFan", None, "总裁", ["总裁"])]),
        # An organisation before the name is not where a post taken after it is.
        ("智谱宣布，张帆出任总裁。", [("ZhangFan", None, "总裁", ["总裁"])]),
    ],
)
def test_a_role_taken_after_the_name(
    text: str, posts: list[tuple[str, str | None, str, list[str]]]
) -> None:
    assert _posts(text) == posts


@pytest.mark.parametrize(
    ("text", "posts"),
    [
        # A former post: the word that says so is a cue, for the reviewer to end the post.
        (
            "此外，前阶跃星辰首席科学家张祥雨已离职，加入智谱出任首席技术官。",
            [
                ("张祥雨", None, "首席科学家", ["首席科学家", "前"]),
                ("张祥雨", "Zhipu", "首席技术官", ["首席技术官"]),
            ],
        ),
        ("原智谱CTO唐杰出席。", [("TangJie", "Zhipu", "CTO", ["CTO", "原"])]),
        ("張帆曾任智譜副總裁。", [("ZhangFan", "Zhipu", "副總裁", ["副總裁", "曾任"])]),
        # 前 and 原 inside another word (此前, 目前, 原因) do not make a post former.
        ("此前智谱CEO张鹏曾公开表示，开源是方向。", [("ZhangPeng", "Zhipu", "Role-CEO", ["CEO"])]),
        ("目前智譜CEO張鵬仍兼任董事。", [("ZhangPeng", "Zhipu", "Role-CEO", ["CEO"])]),
        ("原因是智谱CEO张鹏缺席。", [("ZhangPeng", "Zhipu", "Role-CEO", ["CEO"])]),
        # A word of the past far before the role (more than 12 characters) is not its own.
        ("原来在上海工作多年的智谱研发人员中CTO唐杰最资深。", [("TangJie", None, "CTO", ["CTO"])]),
    ],
)
def test_a_former_post_carries_the_word_that_says_so(
    text: str, posts: list[tuple[str, str | None, str, list[str]]]
) -> None:
    assert _posts(text) == posts


def test_roles_in_traditional_script_are_written_as_written_and_known_ones_linked() -> None:
    # The reader folds to Simplified; the role it proposes keeps the writer's characters.
    assert _posts("智譜董事長劉德兵表示，公司計劃赴港上市。") == [
        ("劉德兵", "Zhipu", "董事長", ["董事長"])
    ]
    # 行政總裁 (Hong Kong's word for CEO) and 首席執行官 are the curated CEO role.
    assert _posts("智譜行政總裁張鵬表示，將推出GLM-5。") == [
        ("ZhangPeng", "Zhipu", "Role-CEO", ["行政總裁"])
    ]
    assert _posts("智譜首席運營官張帆出席。") == [("ZhangFan", "Zhipu", "Role-COO", ["首席運營官"])]


def test_a_post_links_its_holder_and_is_reported_only_after_a_word_of_speech() -> None:
    [post] = [p for p in summaries("知情人士称，智谱总裁张帆将兼管商业化团队。")]
    assert post["extra"] == [("ZhangFan", "org:holds", "{fact}")]
    assert post["reported"] is True and post["cues"] == ["总裁", "称"]
    assert post["quote"] == "知情人士称，智谱总裁张帆将兼管商业化团队。"
    # The name comes before 称: the speaker's own post is no hearsay.
    [post] = [
        p for p in summaries("智谱CEO张鹏在发布会上称，开源是方向。") if p["cls"] == "kg:Post"
    ]
    assert post["reported"] is False and post["cues"] == ["CEO"]


@pytest.mark.parametrize(
    ("text", "person", "organization", "date", "cue"),
    [
        ("晚点独家获悉，智谱COO张帆已于今年8月离职。", "ZhangFan", "Zhipu", "2025-08", "离职"),
        ("張帆已於2025年3月辭任智譜COO。", "ZhangFan", None, "2025-03", "辭任"),
        # A headline names the company right before the person.
        ("智谱张帆离职 曾负责商业化", "ZhangFan", "Zhipu", None, "离职"),
        # Of two people, the last before the word of leaving; the organisation of the clause.
        ("智谱COO张帆、首席科学家唐杰先后于2025年3月辞任。", "TangJie", "Zhipu", "2025-03", "辞任"),
        # The first word of leaving only: one departure a sentence.
        ("张帆辞任智谱COO，唐杰卸任。", "ZhangFan", None, None, "辞任"),
        # An organisation in another clause before the person is not theirs.
        ("智谱宣布，张帆已卸任。", "ZhangFan", None, None, "卸任"),
        ("张帆离职后将创办一家AI应用公司，名为“深言科技”。", "ZhangFan", None, None, "离职"),
    ],
)
def test_a_departure_is_of_the_last_person_before_the_word_of_leaving(
    text: str, person: str, organization: str | None, date: str | None, cue: str
) -> None:
    [departure] = _departures(text)
    roles = [("kg:person", person)]
    if organization is not None:
        roles.append(("kg:organization", organization))
    assert departure["roles"] == roles
    assert departure["date"] == date and departure["cues"] == [cue]
    assert departure["quote"] == text


def test_no_departure_without_a_person_before_the_word() -> None:
    assert _departures("今年上半年，智谱已有5位高管离开。") == []
    assert _departures("离职的是智谱COO张帆。") == []
    # A word of leaving with no one before it is passed over for the next.
    [departure] = _departures("离职潮蔓延，张帆已于今年8月离职。")
    assert departure["roles"] == [("kg:person", "ZhangFan")] and departure["date"] == "2025-08"
    # A departure reported by someone: the cue of speech after the word of leaving.
    [departure] = _departures("據智譜透露，張帆已於今年8月離職。")
    assert departure["roles"] == [("kg:person", "ZhangFan")]
    assert departure["reported"] is True and departure["cues"] == ["離職", "透露"]
