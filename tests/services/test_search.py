"""智能导办 search over the real catalogue: pinyin, initials, heteronyms, 汉字, aliases, keywords,
several tokens, and the ranking (exact name, alias, keyword; then starts; then insides)."""

from __future__ import annotations

import pytest

from kiosk.services import search
from kiosk.services.search import SearchIndex, forms, pinyin_of
from kiosk.services.service_desk import home_rank_key
from simulators.backend.catalogue import load_items

ITEMS = sorted(load_items(None), key=home_rank_key)
NAME = {i["id"]: i["name"] for i in ITEMS}


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(ITEMS)


def ids(results) -> list[str]:
    return [h.item["id"] for h in results.hits]


@pytest.mark.parametrize(("text", "full", "initials"), [
    ("重庆", "chongqing", "cq"),  # 重 is zhong on its own
    ("银行", "yinhang", "yh"),  # 行 is xing on its own
    ("重度残疾", "zhongducanji", "zdcj"),
    ("长者", "zhangzhe", "zz"),
    ("长寿金", "changshoujin", "csj"),
    ("还款", "huankuan", "hk"),  # pypinyin's phrase table says hai; PHRASE_FIXES
    ("会计", "kuaiji", "kj"),
    ("养老待遇资格认证", "yanglaodaiyuzigerenzheng", "yldyzgrz"),
    ("绿色", "lvse", "ls"),
    ("IC卡", "icka", "ick"),
    ("65岁", "65sui", "65s"),
    ("（村级）证明", "cunjizhengming", "cjzm"),  # punctuation is not searched
])
def test_forms_read_heteronyms_by_their_phrase(text, full, initials) -> None:
    f = forms(text)
    assert (f.full, f.initials) == (full, initials)


def test_pinyin_of_spaces_the_syllables() -> None:
    assert pinyin_of("养老认证") == "yang lao ren zheng"


def test_initials_find_the_certification_through_its_alias(index) -> None:
    found = index.search("ylrz")
    assert ids(found)[0] == "pension-eligibility-certification"
    assert (found.hits[0].field, found.hits[0].rank, found.hits[0].how) == ("养老认证", "alias", "exact")


def test_sbjf_finds_the_contribution_payments_first(index) -> None:
    found = ids(index.search("sbjf"))
    # 社保缴费 is an alias of both contribution payments (exact) before 社保缴费记录查询 (a name's start)
    assert found[:3] == ["resident-pension-payment", "resident-medical-insurance-payment",
                         "social-insurance-payment-records"]


def test_full_pinyin_and_a_cut_last_syllable(index) -> None:
    assert ids(index.search("yanglaorenzheng"))[0] == "pension-eligibility-certification"
    assert "pension-eligibility-certification" in ids(index.search("yanglaor"))
    assert "pension-eligibility-certification" in ids(index.search("renzheng"))  # from inside the name


def test_inside_matches_start_at_a_syllable(index) -> None:
    assert "pension-eligibility-certification" in ids(index.search("rz"))  # initials from inside
    assert not index.search("aorenz")  # yang|lao: "ao" is the middle of a syllable


def test_hanzi_aliases_and_everyday_words(index) -> None:
    assert set(ids(index.search("领养老金"))[:2]) == {"pension-eligibility-certification",
                                                    "resident-pension-benefit-claim"}
    assert ids(index.search("生存认证"))[0] == "pension-eligibility-certification"
    assert ids(index.search("养老认证"))[0] == "pension-eligibility-certification"
    assert ids(index.search("长寿金"))[0] == "elderly-allowance"


def test_keywords_and_departments_are_searched(index) -> None:
    found = index.search("公积金")
    assert all(NAME[i].find("公积金") >= 0 or "公积金" in " ".join(
        next(x for x in ITEMS if x["id"] == i)["keywords"]) for i in ids(found))
    assert "housing-fund-balance" in ids(found)
    assert ids(index.search("交警"))  # a department


def test_ranking_is_exact_then_start_then_inside_name_before_alias_before_keyword(index) -> None:
    found = index.search("社保")
    classes = [search.HOWS.index(h.how) * 3 + search.RANKS.index(h.rank) for h in found.hits]
    assert classes == sorted(classes)
    assert found.hits[0].how == "exact"


def test_several_tokens_must_all_match(index) -> None:
    found = ids(index.search("社保 证明"))
    assert found[0] == "social-insurance-certificate-print"
    assert "social-insurance-payment-records" not in found  # no 证明 there
    assert not index.search("社保 xyzq")


def test_a_long_hanzi_query_falls_back_to_its_words(index) -> None:
    assert "social-insurance-payment-records" in ids(index.search("社保缴费记录"))
    assert "pension-eligibility-certification" in ids(index.search("养老金资格认证"))  # 养老 金资 格认 证…


def test_case_width_spaces_and_nonsense(index) -> None:
    assert ids(index.search("YLRZ")) == ids(index.search("ylrz")) == ids(index.search("ｙｌｒｚ"))
    assert not index.search("") and not index.search("   ") and not index.search("！？")
    assert not index.search("qqqqqq")


def test_limit_and_more(index) -> None:
    found = index.search("s", limit=5)
    assert len(found) == 5 and found.more
    everything = index.search("s", limit=1000)
    assert not everything.more and len({h.item["id"] for h in everything.hits}) == len(everything)


def test_every_item_is_found_by_its_name_initials_and_pinyin(index) -> None:
    for item in ITEMS:
        f = forms(item["name"])
        for query in (item["name"], f.initials, f.full):
            assert item["id"] in ids(index.search(query, limit=200)), (item["name"], query)
