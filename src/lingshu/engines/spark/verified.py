"""Functions whose SQLGlot translation from DuckDB to Spark keeps their meaning, as they are.

A function is listed here only after its translation was read (a golden fixture in
``tests/engines/spark/golden/functions/``) and, where the packs use it, compared on both engines
by the conformance suite. Anything not listed and not handled by a rewrite rule is rejected by
``transpile``: an unlisted function is a question, never a silent difference.
"""

from __future__ import annotations

from sqlglot import exp

# SQLGlot node -> why the plain translation is faithful (the reason is documentation).
VERIFIED: dict[type[exp.Expression], str] = {
    # aggregates (NULLs ignored alike)
    exp.Count: "count(*), count(x), count(DISTINCT x)",
    exp.CountIf: "count_if(p) exists in Spark",
    exp.Sum: "sum; DuckDB widens decimals to DECIMAL(38,s), Spark to (p+10,s): same values",
    exp.Avg: "avg (double for integers on both)",
    exp.Min: "min", exp.Max: "max",
    exp.Median: "median: exact, interpolated on both",
    exp.ArgMax: "arg_max -> max_by", exp.ArgMin: "arg_min -> min_by",
    exp.Stddev: "stddev (sample)", exp.StddevSamp: "stddev_samp", exp.StddevPop: "stddev_pop",
    exp.Variance: "var_samp", exp.VariancePop: "var_pop",
    exp.AnyValue: "any_value (either engine picks some value)",
    exp.LogicalAnd: "bool_and", exp.LogicalOr: "bool_or",
    # windows
    exp.RowNumber: "row_number", exp.Rank: "rank", exp.DenseRank: "dense_rank",
    exp.Lag: "lag", exp.Lead: "lead", exp.FirstValue: "first_value", exp.LastValue: "last_value",
    exp.NthValue: "nth_value", exp.PercentRank: "percent_rank", exp.CumeDist: "cume_dist", exp.Ntile: "ntile",
    # conditionals and NULLs
    exp.Coalesce: "coalesce", exp.Nullif: "nullif", exp.If: "if / CASE", exp.Case: "CASE",
    exp.Greatest: "greatest (Spark skips NULLs like DuckDB)", exp.Least: "least",
    # casts
    exp.Cast: "CAST / ::", exp.TryCast: "TRY_CAST",
    # strings
    exp.Trim: "trim", exp.Lower: "lower", exp.Upper: "upper", exp.Length: "length of a string",
    exp.Substring: "substring (1-based on both)", exp.Concat: "concat / ||: NULL when any part is NULL",
    exp.ConcatWs: "concat_ws skips NULLs on both", exp.Left: "left", exp.Right: "right",
    exp.StrPosition: "strpos / instr", exp.Initcap: "initcap", exp.Repeat: "repeat",
    exp.Pad: "lpad / rpad", exp.Replace: "replace", exp.Reverse: "reverse",
    exp.RegexpExtract: "regexp_extract (group 0 default on both)",
    exp.RegexpReplace: "regexp_replace: DuckDB replaces the first match unless 'g'; checked by a golden",
    exp.RegexpLike: "regexp_matches -> RLIKE (partial match on both)",
    exp.StartsWith: "starts_with -> startswith", exp.EndsWith: "ends_with -> endswith",
    exp.Split: "string_split -> split (regex-escaped by SQLGlot)",
    exp.Translate: "translate",
    # numbers
    exp.Round: "round(x) / round(x, 0): half away from zero on both; round(x, n > 0) is rule round_places "
               "(DuckDB rounds a DOUBLE as std::round(x * 10^n) / 10^n)", exp.Abs: "abs", exp.Floor: "floor", exp.Ceil: "ceil",
    exp.Sqrt: "sqrt", exp.Pow: "power", exp.Ln: "ln", exp.Log: "log", exp.Exp: "exp", exp.Sign: "sign",
    exp.Mod: "% (sign of the dividend on both)",
    # predicates
    exp.Exists: "EXISTS (subquery)",
    # dates and times (session time zone UTC: DuckDB timestamps are zone-less)
    exp.CurrentDate: "current_date / today()", exp.CurrentTimestamp: "now() / current_timestamp",
    exp.Year: "year", exp.Month: "month", exp.Day: "day", exp.Quarter: "quarter",
    exp.DayOfWeek: "dayofweek: checked by a golden", exp.Extract: "extract(part FROM x)",
    exp.Hour: "hour of a timestamp (0-23)", exp.Minute: "minute of a timestamp (0-59)",
    exp.Second: "second of a timestamp (0-59, the fraction dropped on both)",
    exp.TimestampTrunc: "date_trunc: TIMESTAMP on both, even for a DATE",
    exp.DateTrunc: "date_trunc", exp.TimeToStr: "strftime -> date_format with the format translated",
    exp.StrToTime: "strptime -> to_timestamp with the format translated",
    exp.StrToDate: "strptime(...)::DATE -> to_date",
    # date_diff: a rule (only 'day' is translated: DuckDB counts boundaries crossed, Spark whole units)
    exp.DateAdd: "date + INTERVAL",
    exp.DateSub: "date - INTERVAL", exp.TsOrDsToDate: "CAST(x AS DATE)",
    # lists and structs
    exp.Array: "[a, b] -> array(a, b)", exp.Struct: "{'k': v} -> struct", exp.Explode: "unnest -> explode",
    exp.ArrayContains: "list_contains -> array_contains", exp.Transform: "list_transform -> transform",
    exp.ArrayFilter: "list_filter -> filter",
}

# Functions SQLGlot does not know by node that exist in Spark under the same name and meaning.
VERIFIED_NAMES: frozenset[str] = frozenset({"try_element_at", "named_struct", "struct", "map"})
