"""The indicator service: the one place numbers come from.

``Context.indicators`` is an ``IndicatorService``; the CLI (``lingshu metric``), the data API and
dashboards call ``query``. Every result carries the definition and version that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.analysis import sdc
from lingshu.indicators import compile as c
from lingshu.indicators.errors import IndicatorError
from lingshu.indicators.spec import Agg, IndicatorQuery, IndicatorSpec, MaterializationSpec

if TYPE_CHECKING:
    from lingshu.pack.loader import PackCatalog


@dataclass
class IndicatorResult:
    spec: IndicatorSpec
    pack: str
    query: IndicatorQuery
    table: pa.Table
    sql: str
    source: str

    @property
    def additive(self) -> bool:
        return additive(self.spec)

    def total(self) -> float:
        """Sum the values over the result's rows, only where that equals the indicator's total."""
        if not self.additive:
            raise IndicatorError(
                f"{self.spec.name} ({self.spec.measure.agg.value}) cannot be summed across "
                f"{', '.join(self.query.dimensions) or 'rows'}: the parts overlap or are not counts",
                hint="query the indicator without that dimension to get its total",
            )
        if "suppressed" in self.table.column_names and self.table.column("suppressed").null_count < self.table.num_rows:
            raise IndicatorError(f"{self.spec.name}: some cells are suppressed for disclosure control",
                                 hint="query the indicator without the dimension to get its (checked) total")
        return float(pc.sum(self.table.column("value")).as_py() or 0)

    version: int | None = None  # from the version history; None when no state store is attached

    def meta(self) -> dict[str, Any]:
        return {"indicator": self.spec.id, "pack": self.pack, "name": self.spec.name,
                "definition": self.spec.definition, "unit": self.spec.unit,
                "version": self.version if self.version is not None else self.spec.version,
                "declared_version": self.spec.version, "fingerprint": self.spec.fingerprint(), "source": self.source}


class IndicatorService:
    def __init__(self, catalog: PackCatalog, engine: Any, store: Any = None):
        self.engine = engine
        self.store = store
        self.sdc = sdc.SdcConfig()
        self._use_materialized = True
        self.specs: dict[str, tuple[str, IndicatorSpec]] = {}
        self.materializations: dict[str, list[tuple[str, MaterializationSpec]]] = {}
        for pack in catalog.packs.values():
            if pack.indicators is None:
                continue
            for spec in pack.indicators.indicators:
                self.specs[f"{pack.id}.{spec.id}"] = (pack.id, spec)
            for mat in pack.indicators.materializations:
                table = materialized_table(pack.id, mat)
                for ind in mat.indicators:
                    self.materializations.setdefault(f"{pack.id}.{ind}", []).append((table, mat))

    def resolve(self, ref: str, context_pack: str | None = None) -> tuple[str, str, IndicatorSpec]:
        """``pack.id`` or a bare ``id`` (looked up in ``context_pack`` first, then if unique)."""
        candidates = [ref] if "." in ref else ([f"{context_pack}.{ref}"] if context_pack else [])
        for key in candidates:
            if key in self.specs:
                return (key, *self.specs[key])
        matches = [k for k in self.specs if k.split(".", 1)[1] == ref]
        if len(matches) == 1:
            return (matches[0], *self.specs[matches[0]])
        if matches:
            raise IndicatorError(f"indicator {ref!r} is ambiguous", hint=f"say which: {', '.join(matches)}")
        raise IndicatorError(f"no indicator {ref!r}", hint="`lingshu metric --list` shows them all")

    def query(self, query: IndicatorQuery | None = None, *, materialized: bool = True, protect: bool = True,
              **kwargs: Any) -> IndicatorResult:
        """Answer ``query``; ``materialized=False`` forces aggregation of the source models.

        Indicators that declare ``disclosure`` come back with small or dominated cells blanked
        (column ``suppressed`` says why) unless ``protect=False`` (internal pipelines only).
        """
        query = query or IndicatorQuery(**kwargs)
        key, pack, spec = self.resolve(query.indicator)
        self._use_materialized = materialized
        frame, source = self._frame(key, pack, spec, query, set())
        sql = c.presented(spec, query, frame)
        table = self.engine.query(sql)
        if spec.disclosure is not None and protect:
            table = self._protect(spec, query, table)
        version = self.version_of(key, spec) if self.store is not None else None
        return IndicatorResult(spec, pack, query, table, sql, source, version)

    def version_of(self, key: str, spec: IndicatorSpec) -> int:
        """The version that computes with this definition: a new definition gets the next number."""
        from lingshu.indicators.versions import record_version

        return record_version(self.store, key, spec)

    def history(self, key: str) -> list[dict[str, Any]]:
        from lingshu.indicators.versions import history

        return history(self.store, key)

    def _protect(self, spec: IndicatorSpec, query: IndicatorQuery, table: pa.Table) -> pa.Table:
        """Blank the cells disclosure control suppresses; say which and why."""
        keys = [*query.dimensions, *([c.PERIOD] if query.grain else [])]
        stats = {tuple(r[k] for k in keys): r for r in self.engine.query(c.disclosure_sql(spec, query)).to_pylist()}
        rows = table.to_pylist()
        cells = []
        for row in rows:
            st = stats.get(tuple(row[k] for k in keys), {})
            magnitudes = [None if st.get(m) is None else float(st[m]) for m in ("total", "x1", "x2")]
            cells.append(sdc.Cell(tuple(row[k] for k in keys), int(st.get("n") or 0), row["value"], *magnitudes))
        verdicts = sdc.protect(cells, sdc.Unit(spec.disclosure.unit), self.sdc)  # type: ignore[union-attr]
        values = [None if v.suppressed else row["value"] for row, v in zip(rows, verdicts, strict=True)]
        out = table.set_column(table.column_names.index("value"), "value", pa.array(values, pa.float64()))
        return out.append_column("suppressed", pa.array([v.reason for v in verdicts], pa.string()))

    def _frame(self, key: str, pack: str, spec: IndicatorSpec, query: IndicatorQuery,
               seen: set[str]) -> tuple[str, str]:
        if key in seen:
            raise IndicatorError(f"indicator {key} is defined in terms of itself",
                                 hint="break the cycle in the ratio/formula inputs")
        if spec.measure.derived:
            return self._derived(key, pack, spec, query, seen | {key})
        c.check_query(spec, query)
        for table, mat in self.materializations.get(key, []) if self._use_materialized else []:
            if c.can_answer(spec, query, mat) and self._built(table):
                return c.base_from_materialized(spec, query, table, mat), f"materialized:{table}"
        return c.base_from_model(spec, query), f"model:{spec.model}"

    def _derived(self, key: str, pack: str, spec: IndicatorSpec, query: IndicatorQuery,
                 seen: set[str]) -> tuple[str, str]:
        m = spec.measure
        inputs = {"num": m.numerator, "den": m.denominator} if m.agg is Agg.ratio else dict(m.inputs)
        frames: dict[str, str] = {}
        sources = []
        for name, ref in inputs.items():
            in_key, in_pack, in_spec = self.resolve(ref or "", pack)
            sub = query.model_copy(update={"indicator": in_key})
            frames[name], source = self._frame(in_key, in_pack, in_spec, sub, seen)
            sources.append(f"{name}={source}")
        for name in query.dimensions:
            if spec.dimension(name) is None:
                raise IndicatorError(f"indicator {spec.id} ({spec.name}) has no dimension {name!r}",
                                     hint=f"allowed: {', '.join(d.name for d in spec.dims) or '(none)'}")
        return c.derived_sql(spec, query, frames), f"derived({', '.join(sources)})"

    def _built(self, table: str) -> bool:
        schema, name = table.split(".")
        return self.engine.table_exists(schema, name)

    def catalog(self) -> list[dict[str, Any]]:
        rows = []
        for key, (pack, spec) in sorted(self.specs.items()):
            m = spec.measure
            rows.append({
                "key": key, "pack": pack, "id": spec.id, "name": spec.name, "definition": spec.definition,
                "measure": m.agg.value, "model": spec.model, "formula": _formula_text(spec),
                "dimensions": [d.name for d in spec.dims],
                "grains": [g.value for g in spec.time.grains] if spec.time else [],
                "filters": spec.filters, "unit": spec.unit, "precision": spec.precision, "owner": spec.owner,
                "version": spec.version, "fingerprint": spec.fingerprint(),
                "additive": additive(spec), "decomposable": None if m.derived else c.decomposable(spec),
                "materialized_in": [t for t, _ in self.materializations.get(key, [])],
            })
        return rows


def additive(spec: IndicatorSpec) -> bool:
    """Final values may be summed across a dimension (counts and sums only; never derived)."""
    return not spec.measure.derived and c.MEASURES.get(spec.measure.agg.value).additive


def materialized_table(pack: str, mat: MaterializationSpec) -> str:
    return f"dws.{pack}_{mat.name}"


def _formula_text(spec: IndicatorSpec) -> str:
    m = spec.measure
    if m.agg is Agg.ratio:
        return f"{m.numerator} / {m.denominator}" + (f" × {m.scale:g}" if m.scale != 1 else "")
    if m.agg is Agg.formula:
        return f"{m.formula}  ({', '.join(f'{k}={v}' for k, v in m.inputs.items())})"
    return ", ".join(comp.sql for comp in c.components(spec))
