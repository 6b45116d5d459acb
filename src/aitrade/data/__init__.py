"""Every dataset the handbook reads, declared in one catalogue and loaded verified.

- :mod:`aitrade.data.catalogue` reads ``data/datapackage.json`` (one typed
  :class:`~aitrade.data.catalogue.Resource` per dataset);
- :mod:`aitrade.data.schema` parses a file and applies the resource's Table Schema;
- :mod:`aitrade.data.cache` finds, downloads and checks snapshots, and :func:`load`s a dataset;
- :mod:`aitrade.data.snapshots` obtains every missing snapshot (``data fetch``);
- :mod:`aitrade.data.vintages` lists, verifies and refreshes datasets (``data list``,
  ``data verify``, ``data refresh``).

Notebooks need only the names below: ``data.load(name)`` and ``data.info(name)``.
"""

from aitrade.data.cache import CACHE_VARIABLE, ChecksumError, cache_directory, load
from aitrade.data.catalogue import DataError, DatasetInfo, UnknownDatasetError, info, read_catalogue, resource
from aitrade.data.schema import SchemaError

__all__ = [
    "CACHE_VARIABLE", "ChecksumError", "DataError", "DatasetInfo", "SchemaError",
    "UnknownDatasetError", "cache_directory", "info", "load", "read_catalogue", "resource",
]
