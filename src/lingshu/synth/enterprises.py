"""Enterprises (法人): the true register, and the two upstream sources that describe it.

* ``scjg_enterprise`` — 市场监管局 registration (upstream database), every enterprise once.
* ``sw_taxpayer`` — 税务 taxpayer list (GBK CSV, Chinese headers), active enterprises plus
  duplicates with typos, full-width characters and reordered addresses, and stale legal representatives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.govern.checksums import USCC_ALPHABET
from lingshu.synth import defects as d
from lingshu.synth.codes import usccs
from lingshu.synth.config import SynthConfig
from lingshu.synth.industries import industry_table
from lingshu.synth.names import brand_names, homophone_variant, person_names
from lingshu.synth.rng import domain_rng

ENT_TYPES = ["有限责任公司(自然人投资或控股)", "有限责任公司(法人独资)", "股份有限公司(非上市)",
             "有限责任公司(外国法人独资)", "有限责任公司(中外合资)", "个人独资企业"]
ENT_TYPE_W = [0.45, 0.2, 0.08, 0.12, 0.07, 0.08]
STATUSES = ["存续", "在业", "注销", "吊销", "迁出"]
STATUS_W = [0.62, 0.23, 0.07, 0.03, 0.05]

SW_HEADERS = {
    "record_id": "记录编号", "uscc": "纳税人识别号", "name": "纳税人名称", "legal_rep": "法定代表人",
    "industry_name": "行业", "address": "生产经营地址", "established_date": "登记日期",
    "tax_status": "纳税人状态", "reg_capital": "注册资本(万元)",
}


def build_enterprises(cfg: SynthConfig, addresses: pd.DataFrame) -> pd.DataFrame:
    """The true enterprise register (clean; the sources are derived from it)."""
    rng = domain_rng(cfg.seed, "enterprises")
    n = cfg.n(5_000, 50)
    ind = industry_table()
    k = rng.choice(len(ind), n, p=ind["weight"].to_numpy())
    doors = addresses[addresses["address_type"] == "门牌"].reset_index(drop=True)
    a = rng.integers(0, len(doors), n)
    district = doors["district"].to_numpy()[a]
    region = np.where(district == "奉贤区", "310120", "310115")
    r = rng.random(n)
    region = np.where(r < 0.15, "310000", np.where(r < 0.2, np.array(["310104", "310112", "310101"])[rng.integers(0, 3, n)], region))
    codes = usccs(rng, region)
    words = ind["words"].to_numpy()[k]
    word = np.array([w[int(i)] for w, i in zip(words, rng.integers(0, 3, n) % np.array([len(w) for w in words]), strict=True)])
    etype = np.array(ENT_TYPES)[rng.choice(len(ENT_TYPES), n, p=ENT_TYPE_W)]
    suffix = np.where(np.char.startswith(etype, "个人独资"), "", np.where(np.char.startswith(etype, "股份"), "股份有限公司", "有限公司"))
    brand = brand_names(rng, n)
    foreign = np.char.find(etype, "外") >= 0
    name = np.where(foreign, np.char.add(np.char.add(brand, "(上海)"), word), np.char.add(np.char.add("上海", brand), word))
    name = np.char.add(name, np.where(suffix == "", "商行", suffix))
    # Same brand + word twice is a different enterprise in reality too, but registers forbid equal
    # names: disambiguate with a 临港 prefix or a number, as the registry would make them choose.
    name = pd.Series(name)
    dup = name.duplicated(keep="first")
    name[dup] = name[dup].str.replace("上海", "上海临港", n=1)
    dup = name.duplicated(keep="first")
    name[dup] = name[dup] + pd.Series(np.arange(dup.sum()) + 1, index=name[dup].index).astype(str).radd("第").add("分公司")
    established = np.datetime64("2019-08-20") - rng.integers(-1500, 8000, n)  # 临港新片区 founded 2019-08-20
    established = np.minimum(established, np.datetime64(cfg.end_date) - 30)
    capital = np.round(ind["capital_wan"].to_numpy()[k] * rng.lognormal(0, 1.0, n), 2)
    status = np.array(STATUSES)[rng.choice(len(STATUSES), n, p=STATUS_W)]
    employees = np.maximum(1, (rng.lognormal(2.6, 1.3, n) * np.sqrt(ind["capital_wan"].to_numpy()[k] / 1000)).astype(int))
    room = np.where(rng.random(n) < 0.6, np.char.add(np.char.add(rng.integers(1, 12, n).astype(str), "幢"),
                                                      np.char.add((rng.integers(1, 9, n) * 100 + rng.integers(1, 30, n)).astype(str), "室")), "")
    ents = pd.DataFrame({
        "ent_id": [f"E{i + 1:07d}" for i in range(n)], "uscc": codes, "name": name.to_numpy(),
        "legal_rep": person_names(rng, rng.random(n) < 0.75), "ent_type": etype,
        "industry_letter": ind["letter"].to_numpy()[k], "industry_code": ind["code"].to_numpy()[k],
        "industry_name": ind["name"].to_numpy()[k], "reg_capital_wan": capital,
        "currency": np.where(foreign, "美元", "人民币"),
        "established_date": np.datetime_as_string(established, unit="D"), "status": status,
        "address": np.char.add(doors["full_address"].to_numpy()[a].astype(str), room),
        "address_id": doors["address_id"].to_numpy()[a], "town_id": doors["town_id"].to_numpy()[a],
        "town_index": doors["town_index"].to_numpy()[a], "lon": doors["lon"].to_numpy()[a],
        "lat": doors["lat"].to_numpy()[a], "employees": employees, "reg_authority": "中国(上海)自由贸易试验区临港新片区市场监督管理局",
    })
    ents.loc[ents["currency"] == "美元", "reg_capital_wan"] = np.round(ents["reg_capital_wan"] / 7, 2)
    return ents


def scjg_source(cfg: SynthConfig, ents: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    """市场监管 registration table: one row per enterprise, with check, missing and date defects."""
    rng = domain_rng(cfg.seed, "enterprises.scjg")
    src = "scjg_enterprise"
    df = ents[["uscc", "name", "legal_rep", "ent_type", "industry_code", "industry_name", "reg_capital_wan",
               "currency", "established_date", "status", "address", "reg_authority"]].copy()
    df.insert(0, "record_id", [f"SCJG{i + 1:08d}" for i in range(len(df))])
    r = cfg.defects
    p = d.plan(rng, len(df), {"invalid_check": r.invalid_check, "missing_required": r.missing_required,
                              "mixed_date": r.mixed_date}, src)
    d.inject_values(df, p["invalid_check"], "uscc", "invalid_check",
                    lambda v, g: d.wrong_check_char(v, g, USCC_ALPHABET), gt, src, "record_id", rng)
    d.inject_missing(df, p["missing_required"], ["legal_rep", "industry_code", "address"], gt, src, "record_id", rng)
    d.inject_values(df, p["mixed_date"], "established_date", "mixed_date", d.mixed_dates, gt, src, "record_id", rng)
    gt.link(src, df["record_id"], "enterprise", ents["ent_id"])
    return df


def sw_source(cfg: SynthConfig, ents: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    """税务 taxpayer list: active enterprises, duplicates with variants, stale statuses."""
    rng = domain_rng(cfg.seed, "enterprises.sw")
    src = "sw_taxpayer"
    active = ents[ents["status"].isin(["存续", "在业"]) | (rng.random(len(ents)) < 0.5)].reset_index(drop=True)
    df = pd.DataFrame({
        "uscc": active["uscc"], "name": active["name"], "legal_rep": active["legal_rep"],
        "industry_name": active["industry_name"], "address": active["address"],
        "established_date": active["established_date"],
        "tax_status": np.where(active["status"].isin(["存续", "在业"]), "正常", "非正常户注销"),
        "reg_capital": active["reg_capital_wan"].map(lambda v: f"{v:.2f}"), "ent_id": active["ent_id"],
    })
    r = cfg.defects
    p = d.plan(rng, len(df), {"duplicate": r.duplicate, "stale": r.stale, "mixed_date": r.mixed_date}, src)
    df["record_id"] = [f"SW{i + 1:08d}" for i in range(len(df))]
    # Stale: the enterprise changed its legal representative; the tax record still has the old one.
    d.inject_values(df, p["stale"], "legal_rep", "stale",
                    lambda v, g: person_names(g, g.random(len(v)) < 0.75).astype(object), gt, src, "record_id", rng)
    d.inject_values(df, p["mixed_date"], "established_date", "mixed_date", d.mixed_dates, gt, src, "record_id", rng)
    dups = df.iloc[p["duplicate"]].copy()
    variants = []
    for i, (nm, addr) in enumerate(zip(dups["name"], dups["address"], strict=True)):
        kind = i % 3
        if kind == 0:
            dups.iat[i, dups.columns.get_loc("name")] = homophone_variant(nm, rng)
            variants.append("name:homophone")
        elif kind == 1:
            dups.iat[i, dups.columns.get_loc("address")] = d.address_variant(addr, rng)
            variants.append("address:variant")
        else:
            dups.iat[i, dups.columns.get_loc("name")] = d.fullwidth_brackets(nm)
            dups.iat[i, dups.columns.get_loc("address")] = d.reorder_address(addr, rng)
            variants.append("name:fullwidth;address:reordered")
    n0 = len(df)
    dups["record_id"] = [f"SW{n0 + i + 1:08d}" for i in range(len(dups))]
    gt.add(src, dups["record_id"], "*", "duplicate", df["record_id"].to_numpy()[p["duplicate"]], variants)
    df = pd.concat([df, dups], ignore_index=True)
    # Delivery order is not entity order: shuffle so duplicates are not adjacent.
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    gt.link(src, df["record_id"], "enterprise", df["ent_id"])
    cols = ["record_id", "uscc", "name", "legal_rep", "industry_name", "address", "established_date",
            "tax_status", "reg_capital"]
    gt.rename_fields(src, SW_HEADERS)
    return df[cols].rename(columns=SW_HEADERS)
