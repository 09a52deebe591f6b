"""Policy documents (产业政策) in Chinese, with their structure kept as ground truth.

Each document has a title, issuer, document number (沪自贸临管委〔2023〕12号), dates, validity,
articles, support measures with amounts or ratios, and eligibility conditions over fields the
platform holds (industry code, registered capital, years since establishment, registration in
Lingang, employees; for people: age, education, social insurance months). The text is delivered as
.txt and .html; the parsed structure goes to ``ground_truth/`` so parsing and 免申即享 rules can be
scored.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np
import pandas as pd

from lingshu.synth.config import SynthConfig
from lingshu.synth.rng import domain_rng

ISSUERS = [("中国(上海)自由贸易试验区临港新片区管理委员会", "沪自贸临管委"), ("中国(上海)自由贸易试验区临港新片区管理委员会", "沪自贸临管"),
           ("临港新片区管委会经济发展处", "沪自贸临经")]
# theme, industry codes it targets (GB/T 4754 4-digit), target kind
THEMES = [
    ("集成电路产业", ["3973", "6520"], "enterprise"), ("数字经济", ["6513", "6450", "6532", "6550"], "enterprise"),
    ("跨境数据流动", ["6450", "6550", "6950"], "enterprise"), ("智能新能源汽车", ["3612", "3670", "3841"], "enterprise"),
    ("民用航空产业", ["3741"], "enterprise"), ("高端装备制造", ["3491", "3731"], "enterprise"),
    ("航运物流", ["5521", "5821", "5990"], "enterprise"), ("科技创新", ["7320", "6513", "6520"], "enterprise"),
    ("青年人才", [], "person"), ("高层次人才", [], "person"),
]
AWARDS = ["一次性奖励", "研发补贴", "房租补贴", "贷款贴息", "设备购置补贴"]


def _conditions(rng: np.random.Generator, theme: tuple) -> list[dict]:
    name, codes, kind = theme
    if kind == "person":
        age = 35 if name == "青年人才" else 55
        edu = "本科" if name == "青年人才" else "硕士研究生"
        months = int(rng.choice([6, 12]))
        return [
            {"field": "age", "op": "<=", "value": age, "text": f"年龄在{age}周岁及以下"},
            {"field": "education", "op": ">=", "value": edu, "text": f"具有{edu.replace('研究生', '')}及以上学历"},
            {"field": "si_months_lingang", "op": ">=", "value": months, "text": f"在临港新片区企业连续缴纳社会保险满{months}个月"},
        ]
    cap = int(rng.choice([100, 500, 1000, 2000]))
    years = int(rng.choice([1, 2, 3]))
    staff = int(rng.choice([10, 20, 50]))
    return [
        {"field": "industry_code", "op": "in", "value": codes, "text": f"主营业务属于{name}领域（国民经济行业代码{'、'.join(codes)}）"},
        {"field": "town_id", "op": "in_lingang", "value": True, "text": "工商注册地、税务登记地和统计关系均在临港新片区"},
        {"field": "reg_capital_wan", "op": ">=", "value": cap, "text": f"注册资本不低于{cap}万元"},
        {"field": "established_years", "op": ">=", "value": years, "text": f"成立满{years}年"},
        {"field": "employees", "op": ">=", "value": staff, "text": f"在册员工不少于{staff}人"},
        {"field": "status", "op": "in", "value": ["存续", "在业"], "text": "经营状态正常，无严重失信记录"},
    ]


def _measures(rng: np.random.Generator, kind: str) -> list[dict]:
    out = []
    for _ in range(int(rng.integers(2, 5))):
        if kind == "person":
            amount = int(rng.choice([2, 5, 10, 20, 30]))
            out.append({"kind": "人才补贴", "amount_max_wan": amount, "ratio": None,
                        "text": f"对符合条件的人才给予最高{amount}万元的安家补贴，分三年发放"})
        elif rng.random() < 0.5:
            amount = int(rng.choice([50, 100, 200, 500, 1000]))
            award = AWARDS[int(rng.integers(len(AWARDS)))]
            out.append({"kind": award, "amount_max_wan": amount, "ratio": None,
                        "text": f"对符合条件的企业给予最高{amount}万元的{award}"})
        else:
            ratio = int(rng.choice([10, 20, 30, 50]))
            amount = int(rng.choice([100, 300, 500, 2000]))
            out.append({"kind": "比例补贴", "amount_max_wan": amount, "ratio": ratio / 100,
                        "text": f"按照项目实际投资额的{ratio}%给予补贴，单个企业每年最高不超过{amount}万元"})
    return out


def build_policies(cfg: SynthConfig) -> tuple[list[dict], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(documents, index, measures truth, conditions truth)."""
    rng = domain_rng(cfg.seed, "policies")
    n = max(10, int(round(40 * min(cfg.scale, 1.0))))
    docs, idx, meas, conds = [], [], [], []
    for i in range(n):
        theme = THEMES[i % len(THEMES)]
        issuer, prefix = ISSUERS[int(rng.integers(len(ISSUERS)))]
        year = int(rng.integers(cfg.start_date.year - 1, cfg.end_date.year + 1))
        issued = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 330)))
        effective = issued + dt.timedelta(days=int(rng.integers(0, 31)))
        valid_years = int(rng.choice([2, 3, 5]))
        expires = effective.replace(year=effective.year + valid_years) - dt.timedelta(days=1)
        doc_no = f"{prefix}〔{year}〕{int(rng.integers(1, 200))}号"
        title = f"中国(上海)自由贸易试验区临港新片区关于支持{theme[0]}高质量发展的若干措施"
        if i >= len(THEMES):
            title = title.replace("若干措施", f"实施细则（{['试行', '修订', '第二版', '2.0版'][i % 4]}）")
        pid = f"ZC{i + 1:04d}"
        c, m = _conditions(rng, theme), _measures(rng, theme[2])
        arts = [f"第一条（目的依据）为贯彻落实临港新片区总体方案，加快推进{theme[0]}发展，制定本措施。",
                "第二条（支持对象）本措施支持的对象应当同时符合以下条件：" + "；".join(f"（{k + 1}）{x['text']}" for k, x in enumerate(c)) + "。"]
        for k, x in enumerate(m):
            arts.append(f"第{_cn(k + 3)}条（支持措施）{x['text']}。")
        arts.append(f"第{_cn(len(arts) + 1)}条（申报程序）符合条件的申报主体通过“一网通办”平台提交申请，经审核后予以兑现；具备条件的实行“免申即享”。")
        arts.append(f"第{_cn(len(arts) + 1)}条（施行日期）本措施自{effective.year}年{effective.month}月{effective.day}日起施行，有效期至{expires.year}年{expires.month}月{expires.day}日。")
        text = "\n".join([title, doc_no, issuer, f"{issued.year}年{issued.month}月{issued.day}日", "", *arts])
        docs.append({"policy_id": pid, "title": title, "text": text})
        idx.append({"policy_id": pid, "title": title, "doc_no": doc_no, "issuer": issuer, "theme": theme[0],
                    "target": "企业" if theme[2] == "enterprise" else "个人", "issue_date": issued.isoformat(),
                    "effective_date": effective.isoformat(), "expiry_date": expires.isoformat()})
        for k, x in enumerate(m):
            meas.append({"policy_id": pid, "article_no": k + 3, "measure_kind": x["kind"],
                         "amount_max_wan": x["amount_max_wan"], "ratio": x["ratio"], "text": x["text"]})
        for k, x in enumerate(c):
            conds.append({"policy_id": pid, "condition_no": k + 1, "field": x["field"], "op": x["op"],
                          "value": str(x["value"]), "text": x["text"]})
    return docs, pd.DataFrame(idx), pd.DataFrame(meas), pd.DataFrame(conds)


def _cn(k: int) -> str:
    digits = "零一二三四五六七八九"
    if k < 10:
        return digits[k]
    if k < 20:
        return "十" + (digits[k - 10] if k > 10 else "")
    return digits[k // 10] + "十" + (digits[k % 10] if k % 10 else "")


def to_html(doc: dict) -> str:
    lines = doc["text"].split("\n")
    body = "".join(f"<p>{html.escape(x)}</p>" for x in lines[1:] if x)
    return (f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{html.escape(doc['title'])}</title>"
            f"</head><body><h1>{html.escape(lines[0])}</h1>{body}</body></html>\n")
