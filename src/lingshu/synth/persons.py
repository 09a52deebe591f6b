"""Natural persons (自然人): the true register and its two upstream sources.

* ``ga_population`` — 公安 实有人口 (upstream database): every person once, with check-digit,
  sex/birth-date-versus-ID, missing-field and date-format defects.
* ``sq_resident`` — 社区 居住登记 (HTTP JSON): adults registered by communities, duplicated with
  homophone or pinyin names, old 15-digit IDs and address variants, some with a stale address.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth import defects as d
from lingshu.synth.codes import id_numbers
from lingshu.synth.config import SynthConfig
from lingshu.synth.names import homophone_variant, person_names, pinyin_name
from lingshu.synth.rng import domain_rng

# GB/T 2260 codes: Shanghai districts (two retired codes kept: people keep the code they were given).
SH_REGIONS = ["310115", "310120", "310101", "310104", "310105", "310106", "310107", "310109", "310110",
              "310112", "310113", "310114", "310116", "310117", "310118", "310151", "310108", "310230"]
SH_WEIGHTS = [40, 20, 3, 3, 2, 3, 3, 2, 3, 4, 3, 3, 2, 2, 2, 2, 1, 1]
# Real district codes of other provinces' capitals, for people who came to Lingang to work.
OTHER_REGIONS = {
    "320102": "江苏省", "330106": "浙江省", "340104": "安徽省", "420106": "湖北省", "510104": "四川省",
    "410105": "河南省", "370102": "山东省", "360102": "江西省", "430102": "湖南省", "610113": "陕西省",
    "230103": "黑龙江省", "350102": "福建省",
}
EDUCATION = ["初中及以下", "高中/中专", "大专", "本科", "硕士研究生", "博士研究生"]
EDU_W = [0.18, 0.22, 0.2, 0.3, 0.08, 0.02]

GA_REQUIRED = ["phone", "address"]


def build_persons(cfg: SynthConfig, addresses: pd.DataFrame) -> pd.DataFrame:
    """The true person register (clean)."""
    rng = domain_rng(cfg.seed, "persons")
    n = cfg.n(30_000, 200)
    band = rng.choice(4, n, p=[0.18, 0.37, 0.31, 0.14])
    lo, hi = np.array([0, 18, 36, 60])[band], np.array([18, 36, 60, 92])[band]
    age_days = (rng.uniform(lo, hi) * 365.25).astype(np.int64)
    ref = np.datetime64(cfg.end_date)
    birth = ref - age_days
    male = rng.random(n) < 0.52
    local = rng.random(n) < 0.6
    sh = np.array(SH_REGIONS)[rng.choice(len(SH_REGIONS), n, p=np.array(SH_WEIGHTS) / sum(SH_WEIGHTS))]
    others = np.array(list(OTHER_REGIONS))[rng.integers(0, len(OTHER_REGIONS), n)]
    region = np.where(local, sh, others)
    ids = id_numbers(rng, region, birth, male)
    # Households share an address and a room; about 2.6 people each.
    res = addresses[addresses["address_type"] == "小区楼栋"].reset_index(drop=True)
    n_house = max(1, int(n / 2.6))
    house = rng.integers(0, n_house, n)
    house_addr = rng.integers(0, len(res), n_house)
    house_room = (rng.integers(1, 19, n_house) * 100 + rng.integers(1, 6, n_house)).astype(str)
    a = house_addr[house]
    age = age_days // 365.25
    edu = np.array(EDUCATION)[rng.choice(len(EDUCATION), n, p=EDU_W)]
    edu = np.where(age < 18, "在读", edu)
    edu = np.where((age < 23) & np.isin(edu, ["硕士研究生", "博士研究生"]), "本科", edu)
    phone = np.char.add(np.char.add("1", rng.choice(list("356789"), n)), np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9))
    origin = np.array([OTHER_REGIONS.get(r, "上海市") for r in region.tolist()])
    return pd.DataFrame({
        "person_id": [f"P{i + 1:08d}" for i in range(n)], "id_number": ids, "name": person_names(rng, male),
        "sex": np.where(male, "男", "女"), "birth_date": np.datetime_as_string(birth, unit="D"),
        "age": age.astype(np.int64), "ethnicity": np.where(rng.random(n) < 0.97, "汉族", np.array(["回族", "满族", "土家族", "蒙古族"])[rng.integers(0, 4, n)]),
        "region_code": region, "origin_province": origin, "hukou_type": np.where(local, "本市户籍", "外省市来沪"),
        "education": edu, "phone": phone, "household_id": np.char.add("H", np.char.zfill(house.astype(str), 7)),
        "address": np.char.add(np.char.add(res["full_address"].to_numpy()[a].astype(str), house_room[house]), "室"),
        "address_id": res["address_id"].to_numpy()[a], "community_id": res["community_id"].to_numpy()[a],
        "town_id": res["town_id"].to_numpy()[a], "town_index": res["town_index"].to_numpy()[a],
        "lon": res["lon"].to_numpy()[a], "lat": res["lat"].to_numpy()[a],
    })


def ga_source(cfg: SynthConfig, persons: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "persons.ga")
    src = "ga_population"
    df = persons[["id_number", "name", "sex", "birth_date", "ethnicity", "hukou_type", "phone", "address",
                  "community_id", "town_id"]].copy()
    df.insert(0, "record_id", [f"GA{i + 1:09d}" for i in range(len(df))])
    r = cfg.defects
    p = d.plan(rng, len(df), {"invalid_check": r.invalid_check, "sex_mismatch": r.sex_mismatch,
                              "birth_mismatch": r.birth_mismatch, "missing_required": r.missing_required,
                              "mixed_date": r.mixed_date}, src)
    d.inject_values(df, p["invalid_check"], "id_number", "invalid_check",
                    lambda v, g: d.wrong_check_char(v, g, "0123456789X"), gt, src, "record_id", rng)
    d.inject_values(df, p["sex_mismatch"], "sex", "sex_mismatch", d.flip_sex, gt, src, "record_id", rng)
    d.inject_values(df, p["birth_mismatch"], "birth_date", "birth_mismatch", d.shift_date, gt, src, "record_id", rng)
    d.inject_missing(df, p["missing_required"], GA_REQUIRED, gt, src, "record_id", rng)
    d.inject_values(df, p["mixed_date"], "birth_date", "mixed_date", d.mixed_dates, gt, src, "record_id", rng)
    gt.link(src, df["record_id"], "person", persons["person_id"])
    return df


def _id15(id18: str) -> str:
    """The pre-1999 15-digit form: no century, no check character."""
    return id18[:6] + id18[8:17]


def sq_source(cfg: SynthConfig, persons: pd.DataFrame, addresses: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "persons.sq")
    src = "sq_resident"
    adults = persons[(persons["age"] >= 18) & (rng.random(len(persons)) < 0.6)].reset_index(drop=True)
    df = pd.DataFrame({
        "name": adults["name"], "cert_no": adults["id_number"], "gender": adults["sex"],
        "birthday": adults["birth_date"], "mobile": adults["phone"], "address": adults["address"],
        "community_id": adults["community_id"], "person_id": adults["person_id"],
    })
    df["reg_date"] = np.datetime_as_string(np.datetime64(cfg.start_date) + rng.integers(0, 30 * cfg.months, len(df)), unit="D")
    df.insert(0, "record_id", [f"SQ{i + 1:09d}" for i in range(len(df))])
    r = cfg.defects
    p = d.plan(rng, len(df), {"duplicate": r.duplicate, "stale": r.stale, "mixed_date": r.mixed_date}, src)
    res = addresses[addresses["address_type"] == "小区楼栋"]["full_address"].to_numpy()
    d.inject_values(df, p["stale"], "address", "stale",
                    lambda v, g: np.char.add(res[g.integers(0, len(res), len(v))].astype(str), "101室").astype(object),
                    gt, src, "record_id", rng)
    d.inject_values(df, p["mixed_date"], "reg_date", "mixed_date", d.mixed_dates, gt, src, "record_id", rng)
    dups = df.iloc[p["duplicate"]].copy()
    notes = []
    for i in range(len(dups)):
        row = dups.index[i]
        kind = i % 4
        if kind == 0:
            dups.at[row, "name"] = homophone_variant(dups.at[row, "name"], rng)
            notes.append("name:homophone")
        elif kind == 1:
            dups.at[row, "name"] = pinyin_name(dups.at[row, "name"])
            notes.append("name:pinyin")
        elif kind == 2 and dups.at[row, "birthday"] < "2000":
            dups.at[row, "cert_no"] = _id15(dups.at[row, "cert_no"])
            notes.append("cert_no:15-digit")
        else:
            dups.at[row, "address"] = d.address_variant(dups.at[row, "address"], rng)
            notes.append("address:variant")
    n0 = len(df)
    gt.add(src, [f"SQ{n0 + i + 1:09d}" for i in range(len(dups))], "*", "duplicate", dups["record_id"], notes)
    dups["record_id"] = [f"SQ{n0 + i + 1:09d}" for i in range(len(dups))]
    df = pd.concat([df, dups], ignore_index=True)
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    gt.link(src, df["record_id"], "person", df["person_id"])
    return df.drop(columns=["person_id"])
