"""The pinned Jupyter kernel, and the environment each kernel starts with.

Kernels inherit the environment of the process that starts them, so the runner sets, around each
notebook: the numeric libraries' thread counts (cores / parallel notebooks, so that parallel
kernels never oversubscribe the cores) and the run's data cache folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from evalkit.project import CACHE_ENV

KERNEL_NAME = "evalkit"
#: Thread-count variables read by OpenMP, OpenBLAS, MKL, BLIS, Apple Accelerate and numexpr.
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """The pinned kernel's name; installs it into this environment if absent, else python3."""
    from jupyter_client.kernelspec import KernelSpecManager

    if name in KernelSpecManager().find_kernel_specs():
        return name
    try:
        from ipykernel.kernelspec import install

        install(kernel_name=name, display_name=f"{name} (Python 3)", prefix=sys.prefix)
    except Exception as exc:  # noqa: BLE001 - any install failure falls back to python3
        print(
            f"evalkit: kernel '{name}' unavailable ({type(exc).__name__}); using python3",
            file=sys.stderr,
        )
        return "python3"
    return name


def available_cores() -> int:
    """The cores this process may use (its CPU affinity where the OS tells, else the count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def threads_per_kernel(jobs: int, cores: int | None = None) -> int:
    """Threads each of ``jobs`` parallel kernels may use: cores / jobs, at least one."""
    return max(1, (cores or available_cores()) // max(1, jobs))


def kernel_variables(threads: int, cache_dir: str | None = None) -> dict[str, str]:
    """The environment variables a kernel starts with: thread counts and the cache folder."""
    out = {name: str(threads) for name in THREAD_VARS}
    if cache_dir:
        out[CACHE_ENV] = str(cache_dir)
    return out


@contextlib.contextmanager
def kernel_environment(variables: dict[str, str]) -> Iterator[None]:
    """Set ``variables`` in this process's environment (inherited by kernels started inside),
    restoring the previous values afterwards."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
