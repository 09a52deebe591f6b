"""Defect injection with ground truth.

Every dirty value the generator writes is recorded here (source, record, field, kind, true value,
dirty value) and saved to ``ground_truth/``, which the pipeline never reads; tests and benchmarks
score governance against it. Per source table, the rows chosen for each defect kind are disjoint
blocks of one permutation: a record carries at most one defect, so the truth is unambiguous, and
the count of each kind is exactly ``round(rate * eligible rows)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lingshu.synth.coords import SHIFTS
from lingshu.synth.errors import SynthError
from lingshu.synth.names import fullwidth

EXCEL_EPOCH = dt.date(1899, 12, 30)
LINK_SCHEMA = pa.schema([("source", pa.string()), ("record_id", pa.string()), ("entity_type", pa.string()),
                         ("entity_id", pa.string())])  # Excel's day 0 (it counts the non-existent 1900-02-29)


@dataclass
class GroundTruth:
    """Accumulates defect rows and entity links; written once at the end."""

    rows: list[pd.DataFrame] = field(default_factory=list)
    links: list[pd.DataFrame] = field(default_factory=list)

    def add(self, source: str, record_ids, fld: str, kind: str, true_values, dirty_values) -> None:
        ids = np.asarray(record_ids).astype(str)
        if ids.size == 0:
            return
        self.rows.append(pd.DataFrame({
            "source": source, "record_id": ids, "field": fld, "defect_kind": kind,
            "true_value": pd.Series(np.asarray(true_values, dtype=object)).astype(str).to_numpy(),
            "dirty_value": pd.Series(np.asarray(dirty_values, dtype=object)).astype(str).to_numpy(),
        }))

    link_path: Path | None = None  # when set, entity links stream to this Parquet file (flat memory)
    _link_writer: Any = None
    link_rows: int = 0

    def link(self, source: str, record_ids, entity_type: str, entity_ids) -> None:
        """Which true entity each source record describes (for scoring entity resolution)."""
        ids = np.asarray(record_ids).astype(str)
        table = pa.table({"source": pa.array(np.full(ids.size, source)), "record_id": pa.array(ids),
                          "entity_type": pa.array(np.full(ids.size, entity_type)),
                          "entity_id": pa.array(np.asarray(entity_ids).astype(str))}, schema=LINK_SCHEMA)
        self.link_rows += table.num_rows
        if self.link_path is None:
            self.links.append(table.to_pandas())
            return
        if self._link_writer is None:
            self.link_path.parent.mkdir(parents=True, exist_ok=True)
            self._link_writer = pq.ParquetWriter(self.link_path, LINK_SCHEMA, compression="zstd")
        self._link_writer.write_table(table)

    def close_links(self) -> None:
        if self._link_writer is not None:
            self._link_writer.close()
            self._link_writer = None

    def rename_fields(self, source: str, mapping: dict[str, str]) -> None:
        """Use the delivered (e.g. Chinese) column names for a source's defects."""
        for df in self.rows:
            mask = df["source"] == source
            if mask.any():
                df.loc[mask, "field"] = df.loc[mask, "field"].map(lambda f: mapping.get(f, f))

    def defects(self) -> pd.DataFrame:
        cols = ["source", "record_id", "field", "defect_kind", "true_value", "dirty_value"]
        if not self.rows:
            return pd.DataFrame(columns=cols)
        return pd.concat(self.rows, ignore_index=True)[cols]

    def entity_map(self) -> pd.DataFrame:
        if not self.links:
            return pd.DataFrame(columns=["source", "record_id", "entity_type", "entity_id"])
        return pd.concat(self.links, ignore_index=True)


def plan(rng: np.random.Generator, n: int, rates: dict[str, float], source: str) -> dict[str, np.ndarray]:
    """Disjoint sorted row indices per defect kind, ``round(rate * n)`` rows each."""
    total = sum(rates.values())
    if total > 1.0:
        raise SynthError(
            f"defect rates for {source} add up to {total:.2f} (> 1): a record carries at most one defect",
            hint="lower the rates in SynthConfig.defects",
        )
    perm = rng.permutation(n)
    out, at = {}, 0
    for kind, rate in rates.items():
        k = int(round(rate * n))
        out[kind] = np.sort(perm[at : at + k])
        at += k
    return out


# --- value corruptions: each takes (true values, rng) and returns dirty values -------------------

def wrong_check_char(values: np.ndarray, rng: np.random.Generator, alphabet: str) -> np.ndarray:
    """Replace the last character with a different one from ``alphabet``."""
    out = []
    for v in values:
        choices = alphabet.replace(v[-1], "")
        out.append(v[:-1] + choices[int(rng.integers(len(choices)))])
    return np.array(out, dtype=object)


def flip_sex(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.where(values == "男", "女", "男").astype(object)


def shift_date(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """ISO dates moved by 1-400 days either way (a typed or copied wrong date)."""
    d = pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")
    delta = rng.integers(1, 400, len(d)) * np.where(rng.random(len(d)) < 0.5, -1, 1)
    return np.datetime_as_string(d + delta, unit="D").astype(object)


def _fmt_cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _fmt_slash(d: dt.date) -> str:
    return f"{d.year}/{d.month}/{d.day}"


def _fmt_excel(d: dt.date) -> str:
    return str((d - EXCEL_EPOCH).days)


def _fmt_compact(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    "cn": _fmt_cn, "slash": _fmt_slash, "excel_serial": _fmt_excel, "compact": _fmt_compact,
}


def mixed_dates(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """ISO dates (or datetimes: the date part) written in another common format."""
    names = list(DATE_FORMATS)
    out = []
    for v in values:
        d = dt.date.fromisoformat(str(v)[:10])
        out.append(DATE_FORMATS[names[int(rng.integers(len(names)))]](d) + str(v)[10:])
    return np.array(out, dtype=object)


def reorder_address(addr: str, rng: np.random.Generator) -> str:
    """Shanghai address with its parts out of order or the city dropped, as people type them."""
    for key in ("镇", "山"):
        i = addr.find(key)
        if 0 < i < len(addr) - 1:
            head, tail = addr[: i + 1], addr[i + 1 :]
            style = int(rng.integers(3))
            if style == 0:
                return tail + "(" + head.removeprefix("上海市") + ")"
            if style == 1:
                return tail + " " + head.removeprefix("上海市")
            return head.removeprefix("上海市").replace("浦东新区", "浦东").replace("奉贤区", "奉贤") + tail
    return addr


def address_variant(addr: str, rng: np.random.Generator) -> str:
    """One of: full-width digits, reordered parts, legacy area name, glued phone number."""
    style = int(rng.integers(4))
    if style == 0:
        return fullwidth(addr)
    if style == 1:
        return reorder_address(addr, rng)
    if style == 2 and "南汇新城镇" in addr:
        return addr.replace("南汇新城镇", "临港新城")
    return addr + f" 电话1{int(rng.integers(3, 10))}{int(rng.integers(0, 10**9)):09d}"


def shift_crs(lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates re-expressed in GCJ-02 or BD-09 (half each) while the label says WGS84."""
    which = np.where(rng.random(len(lon)) < 0.5, "GCJ02", "BD09")
    out_lon, out_lat = lon.astype(float).copy(), lat.astype(float).copy()
    for name, fn in SHIFTS.items():
        m = which == name
        if m.any():
            out_lon[m], out_lat[m] = fn(lon[m], lat[m])
    return np.round(out_lon, 6), np.round(out_lat, 6), which


# Points well outside Lingang: downtown Shanghai, the open sea, Hangzhou Bay, and swapped lon/lat.
OUT_OF_AREA = [(121.47, 31.23), (122.40, 30.75), (121.30, 30.55)]


def out_of_area_points(lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    k = rng.integers(0, len(OUT_OF_AREA) + 1, len(lon))
    new_lon, new_lat = np.empty(len(lon)), np.empty(len(lon))
    for j, (x, y) in enumerate(OUT_OF_AREA):
        m = k == j
        new_lon[m] = x + rng.uniform(-0.03, 0.03, m.sum())
        new_lat[m] = y + rng.uniform(-0.03, 0.03, m.sum())
    swap = k == len(OUT_OF_AREA)
    new_lon[swap], new_lat[swap] = lat[swap], lon[swap]  # a classic: lon and lat swapped
    return np.round(new_lon, 6), np.round(new_lat, 6)


def point_text(lon, lat) -> np.ndarray:
    return np.char.add(np.char.add(np.round(np.asarray(lon, float), 6).astype(str), ","),
                       np.round(np.asarray(lat, float), 6).astype(str))


def inject_points(df: pd.DataFrame, idx_crs: np.ndarray, idx_out: np.ndarray, gt: GroundTruth, source: str,
                  id_col: str, rng: np.random.Generator, lon_col: str = "lon", lat_col: str = "lat") -> None:
    """Apply CRS-mislabel and out-of-area defects to a point table in place."""
    lon, lat = df[lon_col].to_numpy(dtype=float).copy(), df[lat_col].to_numpy(dtype=float).copy()
    if idx_crs.size:
        nl, nt, which = shift_crs(lon[idx_crs], lat[idx_crs], rng)
        gt.add(source, df[id_col].to_numpy()[idx_crs], f"{lon_col},{lat_col}", "crs_mislabel",
               point_text(lon[idx_crs], lat[idx_crs]), np.char.add(np.char.add(which, ":"), point_text(nl, nt)))
        lon[idx_crs], lat[idx_crs] = nl, nt
    if idx_out.size:
        nl, nt = out_of_area_points(lon[idx_out], lat[idx_out], rng)
        gt.add(source, df[id_col].to_numpy()[idx_out], f"{lon_col},{lat_col}", "out_of_area",
               point_text(lon[idx_out], lat[idx_out]), point_text(nl, nt))
        lon[idx_out], lat[idx_out] = nl, nt
    df[lon_col], df[lat_col] = lon, lat


def inject_values(df: pd.DataFrame, idx: np.ndarray, col: str, kind: str, fn, gt: GroundTruth, source: str,
                  id_col: str, rng: np.random.Generator) -> None:
    """Replace ``df[col]`` at rows ``idx`` by ``fn(true, rng)`` and record each change."""
    if idx.size == 0:
        return
    true = df[col].to_numpy(dtype=object)[idx]
    dirty = fn(true, rng)
    gt.add(source, df[id_col].to_numpy()[idx], col, kind, true, dirty)
    values = df[col].to_numpy(dtype=object).copy()
    values[idx] = dirty
    df[col] = values


def blank(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.full(len(values), "", dtype=object)


def inject_missing(df: pd.DataFrame, idx: np.ndarray, required: list[str], gt: GroundTruth, source: str,
                   id_col: str, rng: np.random.Generator) -> None:
    """Blank one required field per chosen row, spread over ``required``."""
    which = rng.integers(0, len(required), idx.size)
    for j, col in enumerate(required):
        inject_values(df, idx[which == j], col, "missing_required", blank, gt, source, id_col, rng)


def fullwidth_brackets(text: str) -> str:
    """Half-width brackets to full-width (（上海）), the most common variant of enterprise names."""
    return text.replace("(", "（").replace(")", "）")
