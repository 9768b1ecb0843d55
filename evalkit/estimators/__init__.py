"""Effect estimators. Every one returns the shared result type; look them up by name with ``get``."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from evalkit.estimators.result import EffectResult, EffectResults

#: name -> "module:function"; imported lazily so that a missing optional piece fails only when used.
REGISTRY: dict[str, str] = {
    "naive": "evalkit.estimators.naive:naive",
    "regression": "evalkit.estimators.regression:regression",
    "ipw": "evalkit.estimators.ipw:ipw",
    "matching": "evalkit.estimators.matching:matching",
    "aipw": "evalkit.estimators.aipw:aipw",
    "did": "evalkit.estimators.did:did",
    "twfe": "evalkit.estimators.twfe:twfe",
    "event_study": "evalkit.estimators.event_study:event_study",
    "cs_did": "evalkit.estimators.cs_did:cs_did",
    "dynamic_matching": "evalkit.estimators.dynamic_matching:dynamic_matching",
    "stacked_did": "evalkit.estimators.stacked_did:stacked_did_outcome",
}

CROSS_SECTIONAL = ("naive", "regression", "ipw", "matching", "aipw")
PANEL = ("did", "twfe", "event_study", "cs_did", "dynamic_matching", "stacked_did")


def get(name: str) -> Callable[..., Any]:
    """Return the estimator function registered under ``name``."""
    try:
        target = REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"unknown estimator '{name}'; known: {known}") from None
    module, func = target.split(":")
    return getattr(import_module(module), func)


def resolve(estimator: str | Callable[..., Any]) -> tuple[str, Callable[..., Any]]:
    """(name, function) of an estimator given by registry name or as a function."""
    if callable(estimator):
        return getattr(estimator, "__name__", "estimator"), estimator
    return estimator, get(estimator)


__all__ = [
    "CROSS_SECTIONAL",
    "PANEL",
    "REGISTRY",
    "EffectResult",
    "EffectResults",
    "get",
    "resolve",
]
