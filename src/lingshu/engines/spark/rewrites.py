"""Rewrite rules: DuckDB constructs that SQLGlot translates to Spark wrongly, or not at all.

Each rule names the DuckDB functions it handles, matches SQLGlot nodes, and returns the
replacement (built in Spark's own spelling where DuckDB has no equivalent), or raises ``Reject``
with a message saying how to write the SQL instead. Every rule has golden input/expected files
in ``tests/engines/spark/golden/<rule>*.sql``; a test fails when a rule has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from lingshu.core.registry import Registry


class Reject(Exception):
    """The construct cannot be translated faithfully; the message says what to write instead."""


@dataclass(frozen=True)
class Rule:
    name: str
    functions: tuple[str, ...]  # the DuckDB spellings it handles (docs, golden coverage)
    nodes: tuple[type[exp.Expression], ...]
    applies: Callable[[exp.Expression], bool]
    apply: Callable[[exp.Expression], exp.Expression | None]
    why: str


RULES: Registry[Rule] = Registry("Spark rewrite rule")
_BY_NODE: dict[type[exp.Expression], list[Rule]] = {}


def rule(name: str, functions: tuple[str, ...], nodes: tuple[type[exp.Expression], ...], why: str,
         applies: Callable[[exp.Expression], bool] = lambda _: True) -> Callable[..., Callable[..., exp.Expression]]:
    """Register the decorated function as a rule; the function itself stays callable."""

    def decorator(func: Callable[[exp.Expression], exp.Expression]) -> Callable[[exp.Expression], exp.Expression]:
        r = Rule(name, functions, nodes, applies, func, why)
        RULES.add(name, r)
        for node in nodes:
            _BY_NODE.setdefault(node, []).append(r)
        return func

    return decorator


def rule_for(node: exp.Expression) -> Rule | None:
    for r in _BY_NODE.get(type(node), ()):
        if r.applies(node):
            return r
    return None


def spark(template: str, **parts: exp.Expression) -> exp.Expression:
    """Parse a Spark SQL template and put ``parts`` in place of the columns named ``__<part>``."""
    tree = sqlglot.parse_one(template, read="spark")

    def fill(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.startswith("__") \
                and node.name[2:] in parts:
            return parts[node.name[2:]].copy()
        return node

    return tree.transform(fill)


# -- aggregation into lists --------------------------------------------------------------------
def _sort_comparator(ordered: list[exp.Ordered]) -> str:
    """A Spark ``array_sort`` comparator over structs ``s.k0, s.k1...``, honouring DuckDB order.

    DuckDB sorts NULLs last unless told otherwise, in either direction.
    """
    cases = []
    for i, o in enumerate(ordered):
        desc = bool(o.args.get("desc"))
        nulls_first = bool(o.args.get("nulls_first"))
        lt, gt = ("1", "-1") if desc else ("-1", "1")
        nl, nr = ("-1", "1") if nulls_first else ("1", "-1")
        cases.append(f"WHEN l.k{i} IS NULL AND r.k{i} IS NOT NULL THEN {nl} "
                     f"WHEN l.k{i} IS NOT NULL AND r.k{i} IS NULL THEN {nr} "
                     f"WHEN l.k{i} < r.k{i} THEN {lt} WHEN l.k{i} > r.k{i} THEN {gt}")
    return "(l, r) -> CASE " + " ".join(cases) + " ELSE 0 END"


@rule("ordered_list_agg", ("list", "array_agg"), (exp.ArrayAgg,),
      "collect_list drops NULLs and ignores ORDER BY; DuckDB's list keeps both",
      applies=lambda n: not isinstance(n.parent, exp.Window))
def ordered_list_agg(node: exp.Expression, window: exp.Window | None = None) -> exp.Expression:
    this = node.this
    if isinstance(this, exp.Order):
        value, ordered = this.this, list(this.expressions)
    else:
        value, ordered = this, []
    if isinstance(value, exp.Distinct):
        raise Reject("list(DISTINCT ...) has no faithful Spark form here; use list() over a DISTINCT subquery")
    parts = {"v": value, **{f"k{i}": o.this for i, o in enumerate(ordered)}}
    fields = ", ".join([*(f"__k{i} AS k{i}" for i in range(len(ordered))), "__v AS v"])
    # Wrapping each value in a struct keeps NULL values (collect_list skips NULL rows only).
    inner = f"collect_list(named_struct({_named(fields)}))"
    if window is not None:  # the window applies to the aggregate; sorting happens after it
        spec = window.copy()
        spec.set("this", spark(inner, **parts))
        parts["w"], inner = spec, "__w"
    if ordered:
        inner = f"array_sort({inner}, {_sort_comparator(ordered)})"
    return spark(f"transform({inner}, s -> s.v)", **parts)


def _named(fields: str) -> str:
    """``__k0 AS k0, __v AS v`` -> ``'k0', __k0, 'v', __v`` (named_struct's argument list)."""
    out = []
    for item in fields.split(", "):
        expr, name = item.split(" AS ")
        out.append(f"'{name}', {expr}")
    return ", ".join(out)


@rule("windowed_list_agg", ("list(...) OVER",), (exp.Window,),
      "as ordered_list_agg, with the window around Spark's collect_list",
      applies=lambda n: isinstance(n.this, exp.ArrayAgg))
def windowed_list_agg(node: exp.Expression) -> exp.Expression:
    return ordered_list_agg(node.this, window=node)


@rule("ordered_string_agg", ("string_agg", "group_concat", "listagg"), (exp.GroupConcat,),
      "Spark's string aggregation order and NULL handling differ; build it from an ordered list")
def ordered_string_agg(node: exp.Expression) -> exp.Expression:
    sep = node.args.get("separator") or exp.Literal.string(",")
    listed = ordered_list_agg(exp.ArrayAgg(this=node.this.copy()))
    # string_agg skips NULLs and gives NULL for a group without values; array_join gives ''.
    return spark("CASE WHEN size(filter(__l, x -> x IS NOT NULL)) = 0 THEN NULL ELSE array_join(__l, __sep) END",
                 l=listed, sep=sep)


# -- lists ---------------------------------------------------------------------------------------
_LISTY = (exp.Array, exp.ArrayAgg, exp.Split, exp.RegexpSplit, exp.Transform, exp.ArrayFilter)


@rule("list_length", ("len", "length", "array_length"), (exp.ArraySize, exp.Length),
      "Spark's length() is for strings; a list's length is size()",
      applies=lambda n: isinstance(n, exp.ArraySize) or isinstance(n.this, _LISTY))
def list_length(node: exp.Expression) -> exp.Expression:
    # len() of a plain column stays length(): Spark rejects an array there (loud, not silent).
    return spark("size(__x)", x=node.this)


@rule("list_index", ("list[i]", "list_extract", "array_extract"), (exp.Bracket,),
      "DuckDB indexes from 1 and from the end with negatives, NULL when out of range",
      applies=lambda n: len(n.expressions) == 1 and not (isinstance(n.expressions[0], exp.Literal)
                                                          and n.expressions[0].is_string))
def list_index(node: exp.Expression) -> exp.Expression:
    index = node.expressions[0]
    if isinstance(index, exp.Slice):
        raise Reject("list slices l[a:b] are not translated; use list_slice() on duckdb only")
    # SQLGlot's DuckDB parser stores a literal index 0-based (l[1] -> 0, l[-1] -> -2) and leaves
    # any other index as written (1-based); try_element_at is 1-based and counts back from -1.
    if isinstance(index, exp.Literal) and not index.is_string:
        index = exp.Literal.number(int(index.name) + 1)
    elif isinstance(index, exp.Neg) and isinstance(index.this, exp.Literal):
        index = exp.Literal.number(1 - int(index.this.name))
    return spark("try_element_at(__x, __i)", x=node.this, i=index)


# -- time ----------------------------------------------------------------------------------------
_TIMESTAMPISH = (exp.CurrentTimestamp, exp.StrToTime, exp.TimestampTrunc, exp.TsOrDsToTimestamp)


def _is_timestamp(node: exp.Expression) -> bool:
    if isinstance(node, exp.Cast):
        return node.to.is_type(*exp.DataType.TEMPORAL_TYPES)
    return isinstance(node, _TIMESTAMPISH)


def _is_number(node: exp.Expression) -> bool:
    if isinstance(node, exp.Literal):
        return not node.is_string
    if isinstance(node, exp.Cast):
        return node.to.is_type(*exp.DataType.INTEGER_TYPES)
    return False


@rule("epoch_ms", ("epoch_ms",), (exp.UnixToTime,),
      "DuckDB's epoch_ms goes both ways by argument type; SQLGlot always reads milliseconds -> timestamp",
      applies=lambda n: n.args.get("scale") is not None and n.args["scale"].name == "3")
def epoch_ms(node: exp.Expression) -> exp.Expression:
    arg = node.this
    if _is_timestamp(arg):
        return spark("unix_millis(CAST(__x AS TIMESTAMP))", x=arg)
    if _is_number(arg):
        return spark("timestamp_millis(__x)", x=arg)
    raise Reject("the direction of epoch_ms(x) depends on x's type, which is not known here: write "
                 "epoch_ms(CAST(x AS TIMESTAMP)) for milliseconds, or epoch_ms(CAST(x AS BIGINT)) for a timestamp")


@rule("epoch", ("epoch",), (exp.TimeToUnix,),
      "DuckDB's epoch() keeps fractions of a second; Spark's unix_timestamp truncates")
def epoch(node: exp.Expression) -> exp.Expression:
    arg = node.this
    if isinstance(arg, exp.Paren):
        arg = arg.this
    if isinstance(arg, exp.Sub) and not any(isinstance(side, exp.Interval) for side in (arg.this, arg.expression)):
        # epoch(ts1 - ts2): DuckDB gives the interval's seconds; Spark cannot cast an interval
        # to a timestamp, so subtract the two instants' microseconds instead.
        return spark("(unix_micros(CAST(__a AS TIMESTAMP)) - unix_micros(CAST(__b AS TIMESTAMP))) / 1000000D",
                     a=arg.this, b=arg.expression)
    return spark("unix_micros(CAST(__x AS TIMESTAMP)) / 1000000D", x=node.this)


@rule("epoch_us", ("epoch_us",), (exp.Anonymous,),
      "microseconds since 1970 of a timestamp: Spark's unix_micros",
      applies=lambda n: str(n.name).lower() == "epoch_us")
def epoch_us(node: exp.Expression) -> exp.Expression:
    if len(node.expressions) != 1:
        raise Reject("epoch_us takes one timestamp")
    return spark("unix_micros(CAST(__x AS TIMESTAMP))", x=node.expressions[0])


@rule("make_timestamp_us", ("make_timestamp(us)",), (exp.UnixToTime,),
      "DuckDB's make_timestamp(microseconds) is a TIMESTAMP without time zone: timestamp_micros read "
      "in the session's UTC, as TIMESTAMP_NTZ",
      applies=lambda n: n.args.get("scale") is not None and n.args["scale"].name == "6")
def make_timestamp_us(node: exp.Expression) -> exp.Expression:
    return spark("CAST(timestamp_micros(__x) AS TIMESTAMP_NTZ)", x=node.this)


@rule("date_diff", ("date_diff", "datediff"), (exp.DateDiff,),
      "DuckDB counts unit boundaries crossed, Spark's DATEDIFF(unit, ...) whole units; for days, "
      "the difference of the two DATEs is both")
def date_diff(node: exp.Expression) -> exp.Expression:
    unit = (node.text("unit") or "DAY").upper().strip("'")
    if unit not in ("DAY", "DAYS", "D"):
        raise Reject(f"datediff with unit {unit.lower()} is not translated (DuckDB counts boundaries crossed, "
                     "Spark whole units); use 'day', or compare year()/month() arithmetic")
    return spark("datediff(CAST(__b AS DATE), CAST(__a AS DATE))", a=node.expression, b=node.this)


@rule("generate_series", ("generate_series",), (exp.GenerateSeries,),
      "generate_series is inclusive on both; DuckDB's range() is not, and Spark's sequence fails where "
      "DuckDB gives an empty list, so only the inclusive form with a step is translated")
def generate_series(node: exp.Expression) -> exp.Expression:
    if node.args.get("is_end_exclusive"):
        raise Reject("range() (end excluded) is not translated; write generate_series(a, b - step, step)")
    if node.args.get("step") is None:
        raise Reject("generate_series(a, b) without a step is not translated (Spark counts down when a > b, "
                     "DuckDB gives nothing); give the step")
    return spark("sequence(__a, __b, __s)", a=node.args["start"], b=node.args["end"], s=node.args["step"])


_SECONDS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400, "WEEK": 604800}
_MONTHS = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
_ORIGIN_2000_01_03 = 946857600  # DuckDB's default origin for day/hour buckets: a Monday


@rule("time_bucket", ("time_bucket",), (exp.DateBin,),
      "Spark has no time_bucket; DuckDB aligns buckets to 2000-01-03 (days) or 2000-01 (months)")
def time_bucket(node: exp.Expression) -> exp.Expression:
    interval, ts = node.this, node.expression
    # SQLGlot stores DuckDB's third argument (origin or zone) under various names: any extra is one.
    if {k for k, v in node.args.items() if v is not None} - {"this", "expression"}:
        raise Reject("time_bucket with an origin or time zone is not translated; bucket with date_trunc")
    if not isinstance(interval, exp.Interval) or not interval.this.is_string and not interval.this.is_number:
        raise Reject("time_bucket needs a constant interval such as INTERVAL 15 MINUTE")
    n = float(interval.this.name)
    unit = interval.text("unit").upper().rstrip("S")
    if unit in _SECONDS and n > 0:
        size = int(n * _SECONDS[unit])
        return spark(f"timestamp_seconds(floor((unix_seconds(CAST(__t AS TIMESTAMP)) - {_ORIGIN_2000_01_03}) "
                     f"/ {size}) * {size} + {_ORIGIN_2000_01_03})", t=ts)
    if unit in _MONTHS and n == int(n) and n > 0:
        months = int(n) * _MONTHS[unit]
        return spark(f"CAST(add_months(DATE'2000-01-01', CAST(floor(((year(__t) - 2000) * 12 + month(__t) - 1) "
                     f"/ {months}) * {months} AS INT)) AS TIMESTAMP)", t=ts)
    raise Reject(f"time_bucket by {interval.sql('duckdb')} is not translated; use a whole number of "
                 "seconds, minutes, hours, days, weeks, months or years")


# -- values --------------------------------------------------------------------------------------
@rule("row_constructor", ("row",), (exp.Anonymous,), "Spark builds rows with struct()",
      applies=lambda n: str(n.name).lower() == "row")
def row_constructor(node: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="struct", expressions=[e.copy() for e in node.expressions])


@rule("map_literal", ("MAP {...}",), (exp.ToMap,), "SQLGlot turns DuckDB's MAP {k: v} into a struct")
def map_literal(node: exp.Expression) -> exp.Expression:
    if not isinstance(node.this, exp.Struct):
        # SQLGlot reads MAP {...}[k] as MAP ({...}[k]); a map literal must be used whole.
        raise Reject("MAP {...} must be used as a whole value; look keys up from a column or CTE holding it")
    args: list[exp.Expression] = []
    for pair in node.this.expressions:
        args += [pair.this.copy(), pair.expression.copy()]
    return exp.Anonymous(this="map", expressions=args)


@rule("quantile_cont", ("quantile_cont", "percentile_cont"), (exp.PercentileCont,),
      "Spark's exact interpolated quantile is percentile(x, q)",
      applies=lambda n: n.expression is not None)
def quantile_cont(node: exp.Expression) -> exp.Expression:
    return spark("percentile(__x, __q)", x=node.this, q=node.expression)


def _places(node: exp.Expression) -> int | None:
    d = node.args.get("decimals")
    if isinstance(d, exp.Literal) and not d.is_string and str(d.this).isdigit() and 0 < int(d.this) <= 9:
        return int(d.this)
    return None


@rule("round_places", ("round(x, n)",), (exp.Round,),
      "DuckDB rounds a DOUBLE as std::round(x * 10^n) / 10^n, Spark the double's shortest decimal string, "
      "so a product like 26295.949999999997 (x 10 = 262959.5 exactly) rounds up on DuckDB and down on Spark; "
      "the same arithmetic in Spark gives DuckDB's double (round(_, 0) of a double equals std::round), and the "
      "outer round keeps a DECIMAL's value exact and its scale n",
      applies=lambda n: _places(n) is not None)
def round_places(node: exp.Expression) -> exp.Expression:
    places = _places(node)
    m = 10 ** places
    # Parenthesized: the argument may be an operator (a + b) that must not bind to the multiplier.
    return spark(f"round(round(__x * {m}, 0) / {m}, {places})", x=exp.Paren(this=node.this.copy()))


# -- statements ----------------------------------------------------------------------------------
@rule("qualify", ("QUALIFY",), (exp.Select,),
      "SQLGlot's QUALIFY elimination resolves names in the window to output aliases; DuckDB to input columns",
      applies=lambda n: n.args.get("qualify") is not None)
def qualify(node: exp.Expression) -> exp.Expression:
    select = node.copy()
    condition = select.args["qualify"].this
    select.set("qualify", None)
    names = []
    for p in select.expressions:
        if isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)):
            raise Reject("QUALIFY with SELECT * is not translated; name the output columns")
        if not p.alias_or_name or not isinstance(p, exp.Alias | exp.Column):
            raise Reject(f"QUALIFY needs every output column named; add AS name to {p.sql('duckdb')}")
        names.append(p.alias_or_name)
    # The condition is evaluated beside the projection, where names mean input columns as in DuckDB.
    select.append("expressions", exp.alias_(condition.copy(), "__lingshu_qualify"))
    order = select.args.get("order")
    select.set("order", None)
    outer = exp.select(*(exp.column(n, table="__q", quoted=True) for n in names)).from_(
        select.subquery("__q")).where(exp.column("__lingshu_qualify", table="__q"))
    if order is not None:
        raise Reject("ORDER BY together with QUALIFY is not translated; order in a query over the model")
    return outer


@rule("regexp_full_match", ("regexp_full_match",), (exp.RegexpFullMatch,),
      "Spark has no full-match function; RLIKE anchored at both ends (\\z: Java's $ also matches "
      "before a final newline)")
def regexp_full_match(node: exp.Expression) -> exp.Expression:
    if node.args.get("options") is not None or node.args.get("flag") is not None:
        raise Reject("regexp_full_match with options is not translated; put the flags in the pattern: (?i)...")
    return spark("__x RLIKE concat('^(?:', __p, ')\\\\z')", x=node.this, p=node.expression)


# -- spatial (GEOMETRY is WKB on Spark; see spatial.py) -----------------------------------------
def _spatial_name(node: exp.Expression) -> str | None:
    """The DuckDB ST_* function a node calls, if the Spark engine provides it (before or after rewriting)."""
    from lingshu.engines.spark.spatial import FUNCTIONS, UDF_PREFIX

    if isinstance(node, exp.StPoint):
        return "st_point"
    if isinstance(node, exp.Anonymous):
        name = str(node.name).lower()
        name = name[len(UDF_PREFIX):] if name.startswith(UDF_PREFIX) else name
        return name if name in FUNCTIONS else None
    return None


def _point_xy(node: exp.Expression) -> tuple[exp.Expression, exp.Expression] | None:
    """(x, y) of ``ST_Point(x, y)`` under any number of ``ST_FlipCoordinates``, else None."""
    flips = 0
    while _spatial_name(node) == "st_flipcoordinates" and len(node.expressions) == 1:
        node, flips = node.expressions[0], flips + 1
    if isinstance(node, exp.StPoint) and not node.args.get("z") and not node.args.get("m"):
        xy = (node.this, node.expression)
    elif isinstance(node, exp.Anonymous) and _spatial_name(node) == "st_point" and len(node.expressions) == 2:
        xy = (node.expressions[0], node.expressions[1])
    else:
        return None
    return (xy[1], xy[0]) if flips % 2 else xy


def _is_point_distance(node: exp.Expression) -> bool:
    return (_spatial_name(node) == "st_distance_sphere" and len(node.expressions) == 2
            and all(_point_xy(a) is not None for a in node.expressions))


@rule("spatial_point_distance", ("ST_Distance_Sphere(ST_Point(..), ST_Point(..))",), (exp.Anonymous,),
      "between two point constructors, DuckDB spatial's haversine is plain arithmetic: a JVM expression "
      "(joins on distance stay in Spark), with DuckDB's radius and formula",
      applies=_is_point_distance)
def spatial_point_distance(node: exp.Expression) -> exp.Expression:
    from lingshu.engines.spark.spatial import haversine_sql

    (x1, y1), (x2, y2) = (_point_xy(a) for a in node.expressions)  # type: ignore[misc]
    return spark(haversine_sql(), x1=x1, y1=y1, x2=x2, y2=y2)


@rule("spatial_function", ("ST_Point", "ST_GeomFromText", "ST_GeomFromWKB", "ST_AsText", "ST_AsWKB", "ST_X",
                           "ST_Y", "ST_FlipCoordinates", "ST_ClosestPoint", "ST_Length_Spheroid",
                           "ST_Distance_Sphere"),
      (exp.Anonymous, exp.StPoint),
      "Spark has none of DuckDB spatial's functions; each becomes an Arrow UDF running DuckDB spatial "
      "itself over WKB (lingshu.engines.spark.spatial)",
      applies=lambda n: _spatial_name(n) is not None and not str(n.name).lower().startswith("lingshu_"))
def spatial_function(node: exp.Expression) -> exp.Expression:
    from lingshu.engines.spark.spatial import FUNCTIONS

    fn = FUNCTIONS[_spatial_name(node)]  # type: ignore[index]
    args = [node.this, node.expression] if isinstance(node, exp.StPoint) else list(node.expressions)
    if isinstance(node, exp.StPoint) and (node.args.get("z") or node.args.get("m")):
        raise Reject("ST_Point with Z or M is not translated; use 2-D points")
    if len(args) != len(fn.params):
        raise Reject(f"{fn.duckdb} takes {len(fn.params)} argument(s) on the spark engine, "
                     f"not {len(args)} (other overloads are DuckDB-only)")
    return exp.Anonymous(this=fn.udf, expressions=[a.copy() for a in args])


@rule("time_of_day", ("CAST(x AS TIME)", "TIME '..'"), (exp.Cast,),
      "SQLGlot writes DuckDB's TIME as Spark's TIMESTAMP (TIME '06:00' becomes today at 06:00), which "
      "silently changes comparisons; Spark's own TIME type is off by default and has no RANGE frames "
      "with intervals, so a time of day is rejected, not guessed",
      applies=lambda n: n.to.is_type(exp.DataType.Type.TIME, exp.DataType.Type.TIMETZ))
def time_of_day(node: exp.Expression) -> exp.Expression:
    raise Reject("TIME (a time of day) has no faithful Spark translation here; use minutes since midnight "
                 "(hour(ts) * 60 + minute(ts)) or keep the timestamp")
