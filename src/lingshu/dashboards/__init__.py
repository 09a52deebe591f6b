"""Dashboards (可视化展示): declared in each pack's ``dashboards/*.yaml``, drawn with ECharts.

``spec`` is the YAML schema, ``loader`` reads and checks a pack's dashboards against the indicator
catalog, ``kinds`` is the registry of chart kinds (how an indicator result becomes an ECharts
option), ``windows`` evaluates relative time windows, ``data`` reads detail rows of published
tables under grants, ``basemap`` serves the Lingang basemap and ``service`` ties them together for
the HTTP layer (``lingshu.serve.dashboards``). Numbers come only from the indicator layer; no
dashboard file holds SQL.
"""
