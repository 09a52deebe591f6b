"""Indicators (指标): declared once with their 口径, compiled to SQL, served everywhere.

An indicator is a measure over a model, with allowed dimensions, time grains and the filters
that are part of its definition. Dashboards, APIs and documents ask this layer for numbers; none
of them carries its own aggregation SQL.
"""

from lingshu.indicators.errors import IndicatorError
from lingshu.indicators.service import IndicatorResult, IndicatorService
from lingshu.indicators.spec import IndicatorQuery, IndicatorSpec, IndicatorsFile

__all__ = ["IndicatorError", "IndicatorQuery", "IndicatorResult", "IndicatorService", "IndicatorSpec",
           "IndicatorsFile"]
