"""Domain algorithms that are not plain SQL, each with a Python reference and its SQL form.

- ``pavement``: JTG 5210-2018 pavement condition index (PCI), distress weights, condition grades.
- ``traffic``: GB/T 33171-2016 free-flow speed, segment congestion grade, TTI/DTP, network TPI.
- ``holidays``: the official rest days (国务院办公厅放假安排) as a day-type calendar.
- ``passenger``: occupancy with drift correction and the seasonal-profile x recent-level forecast.

The SQL forms are DuckDB macros installed on every engine the Context opens (``sql.register_sql``),
so pack models call ``jtg5210_pci(dr, pavement)`` or ``gbt33171_grade(v, v_f)`` and the numbers are
defined once, next to the Python reference the tests pin to the standards' vectors.
"""
