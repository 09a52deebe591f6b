"""Published datasets (数据集): the tables packs list under ``apis:``, their metadata, and safe queries.

The data API, exports, the console's dataset browser and the feature API all query through here:
filters become a SQLGlot AST over known columns, grants restrict columns, rows and extent, and
sensitive columns are masked unless the caller may see them in clear.
"""

from lingshu.datasets.catalog import Dataset, DatasetCatalog, DatasetColumn
from lingshu.datasets.errors import DatasetError
from lingshu.datasets.query import DatasetQuery, QueryResult, run_query

__all__ = ["Dataset", "DatasetCatalog", "DatasetColumn", "DatasetError", "DatasetQuery", "QueryResult", "run_query"]
