"""A data fingerprint for the reproducibility footer: same clean data, same hash, any row order.

Each table contributes its name, its column names and types, and the sorted 64-bit hashes of its
rows (pandas' fixed-key row hash), so reordering rows or columns changes nothing while any
changed value does. ``_row`` (source position) is left out on purpose.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

ROW = "_row"


def _table_digest(name: str, frame: pd.DataFrame) -> bytes:
    """SHA-256 over a table's name, sorted columns with dtypes, and its sorted row hashes."""
    cols = sorted(c for c in frame.columns if c != ROW)
    h = hashlib.sha256()
    h.update(f"table:{name}\n".encode())
    for c in cols:
        h.update(f"column:{c}:{frame[c].dtype}\n".encode())
    if len(frame) and cols:
        rows = pd.util.hash_pandas_object(frame[cols], index=False).to_numpy(dtype=np.uint64)
        h.update(np.sort(rows).tobytes())
    h.update(f"rows:{len(frame)}\n".encode())
    return h.digest()


def data_fingerprint(tables: Mapping[str, pd.DataFrame]) -> str:
    """Return ``sha256:<hex>`` of the tables, independent of row order, column order and dict order."""
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(_table_digest(name, tables[name]))
    return "sha256:" + h.hexdigest()
