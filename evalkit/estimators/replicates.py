"""Seeded replicates (bootstrap draws, Monte Carlo runs) on any executor, with identical numbers.

Replicate r draws from ``numpy.random.default_rng(SeedSequence(seed).spawn(reps)[r])``: its
stream depends on the seed and r only, never on which process runs it or in what order. The
replicates are cut into chunks, each chunk is one task (so a large frame is shipped once per
chunk, not per replicate), and the results come back in replicate order. Any object with the
``concurrent.futures.Executor.map`` method runs them: none (serial), a
``ProcessPoolExecutor``, or a ``dask.distributed`` client's ``get_executor()`` — and all three
give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import numpy as np

T = TypeVar("T")


class MapExecutor(Protocol):
    """What is needed of an executor: ``concurrent.futures.Executor.map``."""

    def map(self, fn: Callable[..., Any], *iterables: Any) -> Any: ...


def seed_sequences(seed: int, reps: int) -> list[np.random.SeedSequence]:
    """One independent seed sequence per replicate (``SeedSequence(seed).spawn(reps)``)."""
    return np.random.SeedSequence(seed).spawn(reps)


def _run_chunk(
    task: Callable[..., T], seeds: Sequence[np.random.SeedSequence], args: tuple[Any, ...]
) -> list[T]:
    """Run ``task(rng, *args)`` for each seed of one chunk, in order."""
    return [task(np.random.default_rng(s), *args) for s in seeds]


def run_replicates(
    task: Callable[..., T],
    reps: int,
    seed: int,
    *args: Any,
    executor: MapExecutor | None = None,
    chunks: int | None = None,
) -> list[T]:
    """``[task(rng_r, *args) for r in range(reps)]`` with ``rng_r`` from the r-th spawned seed.

    ``task`` must be a module-level function (and ``args`` picklable) when ``executor`` runs
    other processes. ``chunks`` (default: 1 without an executor, else up to 16) sets how many
    tasks the replicates are cut into; it changes nothing in the numbers.
    """
    if reps < 1:
        return []
    seeds = seed_sequences(seed, reps)
    n_chunks = max(1, min(reps, chunks or (1 if executor is None else 16)))
    bounds = np.linspace(0, reps, n_chunks + 1).astype(int)
    parts = [seeds[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    if executor is None:
        results = [_run_chunk(task, part, args) for part in parts]
    else:
        results = list(executor.map(_run_chunk, [task] * len(parts), parts, [args] * len(parts)))
    return [value for part in results for value in part]
