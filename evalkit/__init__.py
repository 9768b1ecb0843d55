"""evalkit: what municipal labour-market measures cause, shown to auditors as HTML reports.

The public API (see the README, "Python API")::

    import evalkit
    params = evalkit.load_params("params/jobbspar_vard.yaml")
    results = evalkit.analyse(params)            # MeasureResults
    protected = evalkit.protect(results)         # ProtectedResults: what reports and files take
    results.headline_estimate().summary()

The names below are imported on first use (PEP 562), so that ``import evalkit.errors`` or the
command line does not load the statistics stack; the layers themselves import one another at
module level.
"""

from importlib import import_module
from typing import Any

from evalkit.version import __version__

#: Public name -> module that defines it.
_API = {
    "analyse": "evalkit.pipeline",
    "analyse_measure": "evalkit.pipeline",
    "load_params": "evalkit.params",
    "Params": "evalkit.params",
    "protect": "evalkit.audit.disclosure",
    "MeasureResults": "evalkit.results",
    "ProtectedResults": "evalkit.results",
    "Estimate": "evalkit.results",
    "EffectResult": "evalkit.estimators.result",
}


def __getattr__(name: str) -> Any:
    """The public API, loaded when first used."""
    if name in _API:
        value = getattr(import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'evalkit' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


__all__ = ["__version__", *_API]
