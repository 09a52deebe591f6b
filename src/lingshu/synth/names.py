"""Chinese names for people and enterprises, and the variants real records show.

Homophone groups come from pypinyin over the character pools here, so a homophone variant of a
name is a plausible clerk's slip (伟 -> 玮), not a random character.
"""

from __future__ import annotations

from functools import cache

import numpy as np

# Surnames with rough relative frequencies (the common ones dominate, as in any register).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = np.r_[np.full(10, 6.0), np.full(20, 2.5), np.full(len(SURNAMES) - 30, 1.0)]
MALE_CHARS = "伟强磊军洋勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳晨博文志建国峰成东亮"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲燕萍红琳雪倩婷颖慧莉佳欣怡蕾晶琪洁梅瑶璐悦楠露菲雯岚茜妍"
SHARED_CHARS = "子一思嘉雨天诗梓可晓新家海春立安正"
BRAND_CHARS = "临港海辰芯智联瑞博华创源驰宇航星鼎泰蓝云帆弘达合启锐微新能数科汇通远洋湖明晟恒嘉信诚和盛"

# Well-known homophone slips that pypinyin grouping alone would miss or rank low.
EXTRA_HOMOPHONES = {"伟": "玮", "明": "铭", "华": "桦", "杰": "洁", "静": "靜", "海": "嗨", "港": "岗", "芯": "心"}

FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
FULLWIDTH[ord(" ")] = 0x3000
FULLWIDTH[ord("(")] = ord("（")
FULLWIDTH[ord(")")] = ord("）")
FULLWIDTH[ord("-")] = ord("－")


def person_names(rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
    """Two- or three-character names; the given-name pool depends on sex."""
    n = len(male)
    sur = np.array(list(SURNAMES))[rng.choice(len(SURNAMES), n, p=SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum())]
    m_pool, f_pool = np.array(list(MALE_CHARS + SHARED_CHARS)), np.array(list(FEMALE_CHARS + SHARED_CHARS))
    g1 = np.where(male, m_pool[rng.integers(0, len(m_pool), n)], f_pool[rng.integers(0, len(f_pool), n)])
    g2 = np.where(male, m_pool[rng.integers(0, len(m_pool), n)], f_pool[rng.integers(0, len(f_pool), n)])
    three = rng.random(n) < 0.7
    return np.char.add(np.char.add(sur, g1), np.where(three, g2, ""))


@cache
def homophones() -> dict[str, list[str]]:
    """char -> other chars of the pools with the same toneless pinyin."""
    from pypinyin import lazy_pinyin  # lazy: only the variant paths need it

    chars = sorted(set(SURNAMES + MALE_CHARS + FEMALE_CHARS + SHARED_CHARS + BRAND_CHARS))
    groups: dict[str, list[str]] = {}
    for c in chars:
        groups.setdefault(lazy_pinyin(c)[0], []).append(c)
    out = {c: [o for o in groups[lazy_pinyin(c)[0]] if o != c] for c in chars}
    for a, b in EXTRA_HOMOPHONES.items():
        out.setdefault(a, []).append(b)
    return {c: v for c, v in out.items() if v}


def homophone_variant(text: str, rng: np.random.Generator) -> str:
    """Replace one character that has a homophone; the text itself if none has."""
    table = homophones()
    spots = [i for i, c in enumerate(text) if c in table]
    if not spots:
        return text
    i = spots[int(rng.integers(len(spots)))]
    alts = table[text[i]]
    return text[:i] + alts[int(rng.integers(len(alts)))] + text[i + 1 :]


def pinyin_name(text: str) -> str:
    """``张伟`` -> ``ZHANG WEI``: how some systems (and passports) record a Chinese name."""
    from pypinyin import lazy_pinyin

    py = lazy_pinyin(text)
    return " ".join([py[0].upper(), "".join(py[1:]).upper()])


def fullwidth(text: str) -> str:
    """Digits, Latin letters, brackets and hyphens in full width, as typed with a Chinese IME."""
    return text.translate(FULLWIDTH)


def brand_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Two-character trade names (字号)."""
    pool = np.array(list(BRAND_CHARS))
    a, b = pool[rng.integers(0, len(pool), n)], pool[rng.integers(0, len(pool), n)]
    return np.char.add(a, b)
