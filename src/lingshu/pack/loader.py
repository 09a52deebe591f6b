"""Load packs from folders and resolve them against each other into one catalog.

A pack's own file problems (YAML, schema, missing files) are reported by ``load_pack``; problems
between packs (a table nobody produces, a missing ``depends_on``, two producers of one table, a
cycle) by ``PackCatalog``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lingshu.core import yamlfile
from lingshu.core.errors import ModelError, PackError
from lingshu.pack.stepnodes import StepNode, StepOutput
from lingshu.models.dag import Dag
from lingshu.indicators.compile import PERIOD, materialization_sql
from lingshu.indicators.errors import IndicatorError
from lingshu.indicators.spec import IndicatorsFile
from lingshu.models.sql import SqlModel, parse_model, table_refs
from lingshu.pack.spec import ModelSpec, PackSpec, SourceSpec

if TYPE_CHECKING:
    from lingshu.govern.quality.spec import RulesFile

PACK_FILE = "pack.yaml"
BUILTIN_PACKS = Path(__file__).resolve().parents[3] / "packs"


@dataclass
class Pack:
    spec: PackSpec
    root: Path
    models: list[SqlModel] = field(default_factory=list)
    steps: list[StepNode] = field(default_factory=list)  # Python steps (core/pysteps.py)
    indicators: IndicatorsFile | None = None
    rules: RulesFile | None = None  # quality rules (rules.yaml), checked after each table is built
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def file(self) -> Path:
        return self.root / PACK_FILE

    def where(self, *loc: str | int) -> str:
        line = yamlfile.line_of(self.lines, loc)
        return f"{self.file}:{line}" if line else str(self.file)

    def produces(self) -> dict[str, SourceSpec | SqlModel | StepNode | StepOutput]:
        out: dict[str, SourceSpec | SqlModel | StepNode | StepOutput] = {s.target: s for s in self.spec.sources}
        out.update({m.name: m for m in self.models})
        for node in self.steps:
            out[node.name] = node
            out.update({t: StepOutput(t, self.id, self.file, node.name) for t in node.step.writes})
        return out


def load_pack(root: Path) -> Pack:
    root = root.resolve()
    path = root / PACK_FILE
    if not path.exists():
        raise PackError(f"{root} has no {PACK_FILE}", hint="point at a pack folder, or create one with `lingshu pack new`")
    data, lines = yamlfile.read_yaml(path)
    spec = yamlfile.validate(PackSpec, data, path, lines)
    pack = Pack(spec=spec, root=root, lines=lines)
    _check_files(pack)
    models_root = root / "models"
    paths = sorted(models_root.rglob("*.sql")) if models_root.exists() else []
    pack.models = [parse_model(p, spec.id, models_root) for p in paths]
    _attach_model_specs(pack)
    pack.steps = [StepNode(st.name, spec.id, path, st, {r: pack.lines.get(("steps", i, "reads"), 0) for r in st.reads})
                  for i, st in enumerate(spec.steps)]
    if spec.indicators:
        pack.indicators = yamlfile.load(IndicatorsFile, root / spec.indicators)
        pack.models.extend(_materializations(pack, root / spec.indicators))
    if spec.rules:
        pack.rules = _load_rules(pack, root / spec.rules)
    return pack


def _load_rules(pack: Pack, path: Path) -> RulesFile:
    """A pack's quality rules check the tables it produces (imported here: govern imports pack)."""
    from lingshu.govern.quality.spec import load_rules

    rules = load_rules(path)
    produced = pack.produces()
    for table in rules.tables:
        if table not in produced:
            raise PackError(f"{path.name} has rules for {table}, which pack {pack.id} does not produce",
                            where=rules.where(table),
                            hint=f"tables of this pack: {', '.join(sorted(produced)) or '(none)'}")
    return rules


def _materializations(pack: Pack, path: Path) -> list[SqlModel]:
    """Declared indicator materializations become ordinary DWS models of the pack.

    They then get the DAG order, atomic swap and update-log counts every model gets.
    """
    assert pack.indicators is not None
    by_id = {s.id: s for s in pack.indicators.indicators}
    models = []
    for mat in pack.indicators.materializations:
        unknown = [i for i in mat.indicators if i not in by_id]
        if unknown:
            raise IndicatorError(f"materialization {mat.name} names unknown indicator(s) {', '.join(unknown)}",
                                 where=str(path), hint=f"indicators of this pack: {', '.join(by_id)}")
        specs = [by_id[i] for i in mat.indicators]
        derived = [s.id for s in specs if s.measure.derived]
        if derived:
            raise IndicatorError(f"materialization {mat.name}: {', '.join(derived)} are derived",
                                 where=str(path), hint="materialize their inputs; derived values are computed from them")
        sql = materialization_sql(specs, mat)
        name = f"dws.{pack.id}_{mat.name}"
        key = [*mat.dimensions, *([PERIOD] if mat.grain else [])]
        models.append(SqlModel(name=name, pack=pack.id, path=path, sql=sql, refs=table_refs(sql, path),
                               spec=ModelSpec(name=name, title=f"指标物化 {mat.name}", unique_key=key)))
    return models


def _check_files(pack: Pack) -> None:
    spec = pack.spec
    named: list[tuple[tuple[str | int, ...], str | None]] = [
        (("rules",), spec.rules), (("indicators",), spec.indicators),
        *((("dashboards", i), d) for i, d in enumerate(spec.dashboards)),
    ]
    for loc, rel in named:
        if rel and not (pack.root / rel).exists():
            raise PackError(f"{'.'.join(map(str, loc))} names {rel}, which does not exist",
                            where=pack.where(*loc), hint=f"create {pack.root / rel} or remove the entry")


def _attach_model_specs(pack: Pack) -> None:
    by_name = {m.name: m for m in pack.models}
    for i, meta in enumerate(pack.spec.models):
        model = by_name.get(meta.name)
        if model is None:
            layer, table = meta.name.split(".")
            raise PackError(f"models[{i}] describes {meta.name}, but there is no models/{layer}/{table}.sql",
                            where=pack.where("models", i, "name"),
                            hint=f"create models/{layer}/{table}.sql or fix the name")
        model.spec = meta


def discover(paths: list[Path]) -> list[Path]:
    """Pack folders under the given roots (any depth: packs are grouped by domain)."""
    found: list[Path] = []
    for root in paths:
        if (root / PACK_FILE).exists():
            found.append(root)
        elif root.exists():
            found.extend(sorted(p.parent for p in root.rglob(PACK_FILE)))
    return found


class PackCatalog:
    """Every pack the workspace sees, resolved into one table namespace and one DAG."""

    def __init__(self, packs: list[Pack]):
        self.packs: dict[str, Pack] = {}
        for pack in packs:
            if pack.id in self.packs:
                raise PackError(f"two packs have the id {pack.id!r}: {self.packs[pack.id].root} and {pack.root}",
                                where=pack.where("id"), hint="pack ids are unique; rename one")
            self.packs[pack.id] = pack
        self.producers: dict[str, Pack] = {}
        for pack in packs:
            for table in pack.produces():
                if table in self.producers:
                    other = self.producers[table]
                    raise PackError(f"{table} is produced by both {other.id} and {pack.id}",
                                    where=pack.root.as_posix(), hint="each table has exactly one producer")
                self.producers[table] = pack
        self._check_dependencies()

    @classmethod
    def from_paths(cls, paths: list[Path]) -> PackCatalog:
        return cls([load_pack(p) for p in discover(paths)])

    def get(self, pack_id: str) -> Pack:
        try:
            return self.packs[pack_id]
        except KeyError:
            raise PackError(f"no pack {pack_id!r}", hint=f"known packs: {', '.join(sorted(self.packs)) or '(none)'}") from None

    def _check_dependencies(self) -> None:
        for pack in self.packs.values():
            for i, dep in enumerate(pack.spec.depends_on):
                if dep not in self.packs:
                    raise PackError(f"depends_on names {dep!r}, which is not a known pack",
                                    where=pack.where("depends_on", i), hint="fix the id or add the pack's folder to pack_paths")
            allowed = {pack.id, *self.closure(pack.id)}
            for model in [*pack.models, *pack.steps]:
                for ref, line in model.refs.items():
                    producer = self.producers.get(ref)
                    if producer is None:
                        raise ModelError(f"{model.name} reads {ref}, which no pack produces",
                                         where=f"{model.path}:{line}",
                                         hint=f"add a source with target {ref} or a model file for it, or fix the name")
                    if producer.id not in allowed:
                        raise ModelError(f"{model.name} reads {ref} from pack {producer.id}, which {pack.id} does not depend on",
                                         where=f"{model.path}:{line}",
                                         hint=f"add {producer.id!r} to depends_on in {pack.file}")

    def closure(self, pack_id: str) -> set[str]:
        """Packs that ``pack_id`` depends on, directly or not."""
        seen: set[str] = set()
        stack = list(self.packs[pack_id].spec.depends_on)
        while stack:
            dep = stack.pop()
            if dep not in seen and dep in self.packs:
                seen.add(dep)
                stack.extend(self.packs[dep].spec.depends_on)
        return seen

    @cached_property
    def dag(self) -> Dag:
        deps: dict[str, list[str]] = {}
        for pack in self.packs.values():
            for source in pack.spec.sources:
                deps[source.target] = []
            for model in pack.models:
                deps[model.name] = [r for r in model.refs if r != model.name]
                if model.name in model.refs:
                    raise ModelError(f"{model.name} reads itself", where=str(model.path),
                                     hint="a full-refresh model cannot read its own table")
            for node in pack.steps:
                # A step may read its own previous outputs directly (stable ids); never through reads.
                deps[node.name] = [r for r in node.refs if r not in (node.name, *node.step.writes)]
                for extra in node.step.writes:
                    deps[extra] = [node.name]
        return Dag(deps)

    def node(self, table: str) -> SourceSpec | SqlModel | StepNode | StepOutput:
        return self.producers[table].produces()[table]
