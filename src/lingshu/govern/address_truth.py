"""Address standardization scored on the synthetic world: match rate by defect kind.

The synthetic world (``lingshu.synth``) delivers 12345 hotline tickets whose 事发地址 is the
standard address of a known base row (``ground_truth/entity_map.parquet``, entity type
``address``); about a third carry a variant the generator records in
``ground_truth/defects.parquet`` as ``address_variant``. The generator draws one of four styles
(``synth.defects.address_variant``) without naming it, so the style is read back from the pair of
true and dirty values; the styles are disjoint, so the reading is exact:

- ``fullwidth``: the dirty value is the true one with full-width digits (１０３８号);
- ``legacy_name``: 南汇新城镇 written as the old name 临港新城;
- ``glued_phone``: a caller's phone number glued to the end (`` 电话13812345678``);
- ``reordered``: parts out of order, the city dropped, a district in brackets or abbreviated.

Every ticket's address goes through ``match_addresses`` against ``reference/address_base.csv``;
a ticket counts as matched when its status is ``matched`` *and* the matched base row is the true
one (a confident wrong match is a miss). ``clean`` are the tickets without an address defect.

Reproduce: ``python -m lingshu.govern.address_truth [--scale 0.05] [--world DIR]``.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from lingshu.govern.address_match import match_addresses

SOURCE = "rx_12345"
FIELD = "事发地址"
TICKET, ADDRESS = "工单编号", "事发地址"
CLEAN = "clean"
KINDS = ("fullwidth", "legacy_name", "glued_phone", "reordered")
_FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@dataclass(frozen=True)
class KindRate:
    kind: str
    records: int
    matched: int  # status 'matched' on the true base row
    wrong: int  # status 'matched' on another base row (a confident error)

    @property
    def rate(self) -> float:
        return self.matched / self.records if self.records else float("nan")


def variant_kind(true_value: str, dirty_value: str) -> str:
    """Which of the generator's four address variants turned ``true_value`` into ``dirty_value``."""
    if dirty_value == true_value.translate(_FULLWIDTH):
        return "fullwidth"
    if "临港新城" in dirty_value and "临港新城" not in true_value:
        return "legacy_name"
    if dirty_value.startswith(true_value) and " 电话" in dirty_value[len(true_value):]:
        return "glued_phone"
    return "reordered"


def _tickets(world: Path) -> pd.DataFrame:
    """Ticket number and address as delivered (the CSV export, or the upstream database)."""
    csvs = sorted((world / "sources" / "csv").glob("12345_*.csv"))
    if csvs:  # the hotline exports in GB18030, as the real one does
        return pd.read_csv(csvs[0], encoding="gb18030", dtype=str, usecols=[TICKET, ADDRESS], keep_default_na=False)
    with sqlite3.connect(world / "sources" / "upstream.sqlite") as con:  # pragma: no cover - other layouts
        return pd.read_sql(f'SELECT "{TICKET}", "{ADDRESS}" FROM "{SOURCE}"', con).astype(str)


def match_rates(world: str | Path, engine: object | None = None) -> list[KindRate]:
    """Match rate per address defect kind (and ``clean``) for a generated world folder."""
    world = Path(world)
    tickets = _tickets(world)
    links = pd.read_parquet(world / "ground_truth" / "entity_map.parquet",
                            filters=[("source", "==", SOURCE), ("entity_type", "==", "address")])
    truth = pd.read_parquet(world / "ground_truth" / "defects.parquet",
                            filters=[("source", "==", SOURCE), ("field", "==", FIELD)])
    kinds = {r: variant_kind(t, d) for r, t, d in
             zip(truth["record_id"], truth["true_value"], truth["dirty_value"], strict=True)}
    base = pacsv.read_csv(world / "reference" / "address_base.csv",
                          convert_options=pacsv.ConvertOptions(column_types={"address_id": pa.string()}))
    found = match_addresses(pa.array(tickets[ADDRESS].astype(str).tolist(), pa.string()), base,
                            address_col="full_address", lng_col="lon", lat_col="lat", id_col="address_id",
                            engine=engine).to_pandas()
    true_id = dict(zip(links["record_id"], links["entity_id"], strict=True))
    rows = pd.DataFrame({
        "kind": [kinds.get(t, CLEAN) for t in tickets[TICKET]],
        "ok": (found["status"] == "matched").to_numpy()
              & (found["match_id"].to_numpy() == tickets[TICKET].map(true_id).to_numpy()),
        "confident": (found["status"] == "matched").to_numpy(),
    })
    out = []
    for kind in (CLEAN, *KINDS):
        part = rows[rows["kind"] == kind]
        ok = int(part["ok"].sum())
        out.append(KindRate(kind, len(part), ok, int(part["confident"].sum()) - ok))
    return out


def format_rates(rates: list[KindRate]) -> str:
    lines = ["| address | tickets | matched to the true address | rate | matched to a wrong address |",
             "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r.kind} | {r.records} | {r.matched} | {r.rate:.3f} | {r.wrong} |" for r in rates]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05, help="synth scale of a world generated here")
    parser.add_argument("--world", type=Path, help="an already generated world folder (skips generating)")
    args = parser.parse_args(argv)
    if args.world:
        print(format_rates(match_rates(args.world)))
        return
    from lingshu import synth

    with tempfile.TemporaryDirectory() as tmp:
        synth.generate(synth.SynthConfig(scale=args.scale, excel=False), Path(tmp) / "world")
        print(f"synthetic world, scale {args.scale}, seed {synth.SynthConfig().seed}")
        print(format_rates(match_rates(Path(tmp) / "world")))


if __name__ == "__main__":
    main()
