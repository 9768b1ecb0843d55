"""Params: the validated, typed form of one measure's YAML file (DESIGN section 5).

Every problem is a ``ParamsError`` naming the file and the key path (``design.intake.start``), raised
before any data is read or any kernel starts. Relative paths resolve against the working directory.
Goals are validated here, once (``evalkit.params.goals``); ``Params.load_registers()`` is the one
way to load the registers a params file points at.
"""

from __future__ import annotations

import html
import inspect
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from evalkit.data.cache import load_and_validate
from evalkit.data.sample import STANDARD_OUTCOMES
from evalkit.data.validate import Validated
from evalkit.errors import ParamsError
from evalkit.estimators import CROSS_SECTIONAL, REGISTRY, get
from evalkit.params.goals import Goal

DEFAULTS_NAME = "defaults.yaml"
FILE_KINDS = ("csv", "parquet", "excel", "duckdb", "sqlite")

#: Subgroup columns of the registers-mode analysis sample.
REGISTER_SUBGROUPS = ("sex", "age_group", "birth_region")

#: Which estimators each data mode can run.
MODE_ESTIMATORS: dict[str, tuple[str, ...]] = {
    "registers": (
        *CROSS_SECTIONAL,
        "stacked_did",
        "cs_did",
        "dynamic_matching",
        "twfe",
        "event_study",
    ),
    "table": CROSS_SECTIONAL,
    "panel": ("twfe", "event_study", "cs_did"),
}
#: Arguments the pipeline sets itself; not tunable through ``estimator_options``.
_PIPELINE_ARGS = frozenset(
    {
        "frame",
        "stacked",
        "outcome",
        "outcomes",
        "treatment",
        "covariates",
        "unit",
        "time",
        "cohort",
        "period",
        "weights",
        "cluster",
        "post",
    }
)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Model(BaseModel):
    """Strict base: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    """Where the data are: a file, folder, database or SQLAlchemy URL (``data.source``)."""

    kind: Literal["csv", "parquet", "excel", "duckdb", "sqlite", "sql"]
    path: str | None = None
    url: str | None = None
    table: str | None = None
    tables: dict[str, str] | None = None
    columns: dict[str, dict[str, str]] | None = None
    sep: str | None = None
    encoding: str | None = None
    schema_: str | None = Field(default=None, alias="schema")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _path_or_url(self) -> Source:
        if self.kind == "sql" and not self.url:
            raise ValueError("a sql source needs a url")
        if self.kind != "sql" and not self.path:
            raise ValueError(f"a {self.kind} source needs a path")
        return self

    def as_dict(self) -> dict[str, Any]:
        """The plain mapping ``evalkit.data.sources`` reads (``columns`` included)."""
        return self.model_dump(exclude_none=True, by_alias=True)


class Data(_Model):
    """``data``: the mode, the source and, for table/panel, which columns play which role."""

    mode: Literal["registers", "table", "panel"] = "registers"
    source: Source
    id: str | None = None
    treatment: str | None = None
    time: str | None = None
    cohort: str | None = None


def _as_month(value: Any) -> Any:
    """Accept ``2021-01``, a date or ``2021-01-01`` and give ``YYYY-MM``."""
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()[:7]
    return value


class Intake(_Model):
    """``design.intake``: first and last start month of the participants analysed."""

    start: str
    end: str

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month(cls, value: Any) -> Any:
        return _as_month(value)

    @field_validator("start", "end")
    @classmethod
    def _month_format(cls, value: str) -> str:
        if not _MONTH.match(value):
            raise ValueError(f"a month is written YYYY-MM, got '{value}'")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Intake:
        if self.end < self.start:
            raise ValueError("intake end is before intake start")
        return self


class Design(_Model):
    """``design``: intake window, comparison group and eligibility rule (registers mode)."""

    intake: Intake = Intake(start="2021-01", end="2023-12")
    comparison: Literal["not_yet_treated", "never_treated", "eligible"] = "not_yet_treated"
    eligibility_months: int = Field(default=3, ge=1, le=36)


class Organisation(_Model):
    """``report.organisation``: who publishes the reports and how to reach them (shown on every
    page and in the accessibility statement)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    namnd: str = ""
    unit: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    response_days: int | None = Field(default=None, ge=1)


class AccessibilityInfo(_Model):
    """``report.accessibility``: the organisation's own assessment of the pages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    conformance: Literal["full", "partial", "none"] = "partial"
    assessed: date | None = None
    method: str = ""
    known_issues: tuple[str, ...] = ()


class Report(_Model):
    """``report``: language, smallest cell shown, the seed of every random step, and who
    publishes the reports."""

    lang: Literal["sv", "en"] = "sv"
    min_cell: int = Field(default=5, ge=1)
    seed: int = 20261126
    organisation: Organisation = Organisation()
    accessibility: AccessibilityInfo = AccessibilityInfo()


class CostAssumptions(_Model):
    """The assumptions of the cost perspectives (``costs:``), with documented defaults.

    - ``discount_rate``: 3.5 % real per year, the social discount rate of the Swedish transport
      appraisal guidance (Trafikverket, ASEK); months are discounted by ``(1 + r) ** (-k / 12)``.
    - ``monthly_wage_sek``: 25 000 kr, an assumed entry-level monthly wage of a person leaving
      social assistance for work, of the order of the lowest wages of collective agreements
      (Medlingsinstitutet compiles them each year); set the municipality's own figure.
    - ``income_tax_rate``: 32.37 %, the mean total municipal income tax rate 2024 (SCB).
    - ``employer_contribution_rate``: 31.42 %, the statutory employer contributions
      (arbetsgivaravgifter) 2024 (Skatteverket).
    - ``work_share``: 0.7, the assumed share of the months in work or studies that are in work
      (studies pay no tax); the registers' outcome does not tell the two apart.
    """

    discount_rate: float = Field(default=0.035, ge=0, le=0.25)
    monthly_wage_sek: float = Field(default=25_000.0, ge=0)
    income_tax_rate: float = Field(default=0.3237, ge=0, le=1)
    employer_contribution_rate: float = Field(default=0.3142, ge=0, le=1)
    work_share: float = Field(default=0.7, ge=0, le=1)

    @property
    def revenue_per_work_month_sek(self) -> float:
        """Income tax and employer contributions from one more month in work."""
        return self.monthly_wage_sek * (self.income_tax_rate + self.employer_contribution_rate)


class CostOverrides(CostAssumptions):
    """``costs``: the cost perspectives' assumptions, and overrides of what the cost section
    reads from the registers."""

    price_per_month_sek: float | None = Field(default=None, ge=0)
    mean_months_in_measure: float | None = Field(default=None, gt=0)
    participant_months: float | None = Field(default=None, ge=0)
    n_participants: float | None = Field(default=None, ge=0)
    months: tuple[str, str] | None = None

    def options(self) -> dict[str, Any]:
        """The keyword arguments for ``evalkit.audit.cost_summary``: the overrides that are set
        and the assumptions."""
        keep = set(type(self).model_fields) - set(CostAssumptions.model_fields)
        return {
            **self.model_dump(include=keep, exclude_none=True),
            "assumptions": self.assumptions(),
        }

    def assumptions(self) -> CostAssumptions:
        """The assumptions alone."""
        return CostAssumptions(**self.model_dump(include=set(CostAssumptions.model_fields)))


def _municipality_code(value: Any) -> Any:
    """Kolada's four-digit municipality code as text (YAML reads 0180 as a number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).zfill(4)
    return str(value).strip() if isinstance(value, str) else value


class Benchmark(_Model):
    """``benchmark``: the municipality and its peers in a Kolada export read offline."""

    kolada: str
    municipality: str
    peers: list[str] = Field(min_length=1)
    followup_kpi: str | None = None

    @field_validator("municipality", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        return _municipality_code(value)

    @field_validator("peers", mode="before")
    @classmethod
    def _codes(cls, value: Any) -> Any:
        return [_municipality_code(v) for v in value] if isinstance(value, list) else value


def estimator_option_names(name: str) -> set[str]:
    """Options an estimator accepts (its keyword arguments the pipeline does not set)."""
    sig = inspect.signature(get(name))
    return {
        p.name
        for p in sig.parameters.values()
        if p.default is not inspect.Parameter.empty and p.name not in _PIPELINE_ARGS
    }


class Params(_Model):
    """One measure's validated params (DESIGN 5); ``resolved(root)`` gives absolute paths."""

    measure_id: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
    title: str
    data: Data
    design: Design = Design()
    outcomes: list[str] = Field(min_length=1)
    covariates: list[str] | None = None
    estimators: list[str] = Field(min_length=1)
    estimator_options: dict[str, dict[str, Any]] = {}
    subgroups: list[str] = []
    goals: list[Goal] = []
    costs: CostOverrides = CostOverrides()
    horizon_months: int | None = Field(default=None, ge=12, le=36)
    benchmark: Benchmark | None = None
    report: Report = Report()

    @field_validator("estimators")
    @classmethod
    def _known_estimators(cls, value: list[str]) -> list[str]:
        for i, name in enumerate(value):
            if name not in REGISTRY:
                known = ", ".join(sorted(REGISTRY))
                raise ValueError(f"[{i}] unknown estimator '{name}'; known: {known}")
        if len(set(value)) != len(value):
            raise ValueError("an estimator is listed twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        mode = self.data.mode
        fits = MODE_ESTIMATORS[mode]
        for i, name in enumerate(self.estimators):
            if name not in fits:
                raise _KeyedError(
                    f"estimator '{name}' does not fit data mode {mode}; use: {', '.join(fits)}",
                    f"estimators[{i}]",
                )
        for name, options in self.estimator_options.items():
            if name not in REGISTRY:
                raise _KeyedError(f"unknown estimator '{name}'", f"estimator_options.{name}")
            allowed = estimator_option_names(name)
            for option in options:
                if option not in allowed:
                    raise _KeyedError(
                        f"unknown option '{option}' of {name}; known: {', '.join(sorted(allowed))}",
                        f"estimator_options.{name}.{option}",
                    )
        if mode == "registers":
            for i, outcome in enumerate(self.outcomes):
                if outcome not in STANDARD_OUTCOMES:
                    raise _KeyedError(
                        f"unknown outcome '{outcome}' in registers mode; known: "
                        + ", ".join(STANDARD_OUTCOMES),
                        f"outcomes[{i}]",
                    )
            for i, group in enumerate(self.subgroups):
                if group not in REGISTER_SUBGROUPS:
                    raise _KeyedError(
                        f"unknown subgroup '{group}'; known: {', '.join(REGISTER_SUBGROUPS)}",
                        f"subgroups[{i}]",
                    )
        needed = {"table": ("id", "treatment"), "panel": ("id", "time", "cohort")}.get(mode, ())
        for key in needed:
            if not getattr(self.data, key):
                raise _KeyedError(f"{mode} mode needs data.{key} (a column name)", f"data.{key}")
        return self

    def resolved(self, root: str | Path | None = None) -> Params:
        """A copy whose data path and Kolada export are absolute (relative paths taken from
        ``root``, default cwd)."""
        base = Path(root) if root else Path.cwd()
        update: dict[str, Any] = {}
        path = self.data.source.path
        if path and not Path(path).is_absolute():
            source = self.data.source.model_copy(update={"path": str((base / path).resolve())})
            update["data"] = self.data.model_copy(update={"source": source})
        bench = self.benchmark
        if bench is not None and not Path(bench.kolada).is_absolute():
            kolada = str((base / bench.kolada).resolve())
            update["benchmark"] = bench.model_copy(update={"kolada": kolada})
        return self.model_copy(update=update, deep=True)

    def load_registers(
        self, *, quarantine_path: str | Path | None = None, raise_fatal: bool = True
    ) -> Validated:
        """The registers ``data.source`` points at, loaded and validated (registers mode).

        The one way the pipeline, ``evalkit validate`` and ``evalkit.explore`` read registers;
        rows breaking a rule go to ``quarantine_path`` when given.
        """
        if self.data.mode != "registers":
            raise ParamsError(
                f"registers are read in registers mode, not {self.data.mode}", key="data.mode"
            )
        source = self.data.source.as_dict()
        columns = source.pop("columns", None)
        return load_and_validate(
            source, columns=columns, quarantine_path=quarantine_path, raise_fatal=raise_fatal
        )

    def to_json(self) -> dict[str, Any]:
        """The params as a JSON-safe dict (what the results file records)."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'><code>{html.escape(_short(v))}</code></td></tr>"
            for k, v in self.to_json().items()
        )
        return f"<table class='evalkit-params'>{rows}</table>"


def _short(value: Any) -> str:
    """A compact one-line rendering of a params value."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "; ".join(str(v.get("id", v)) for v in value)
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()


class _KeyedError(ValueError):
    """A validation problem that knows its key path."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _key_path(loc: tuple[Any, ...]) -> str:
    """Pydantic's location as a key path: ``goals[0].indicator``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before") or str(part).startswith("function-"):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: mappings merge key by key, everything else replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (YAML keeps the last one
    silently, so a second ``report:`` block would drop every setting of the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                error = ParamsError(
                    f"a key is given twice in one mapping (line {key_node.start_mark.line + 1})"
                )
                error.key = str(key)
                raise error
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> dict[str, Any]:
    """One YAML mapping from a file, or a ParamsError naming the file."""
    if not path.is_file():
        raise ParamsError("params file not found", file=str(path))
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except ParamsError as exc:
        raise ParamsError(str(exc), file=str(path), key=exc.key) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ParamsError(f"not valid YAML{where}", file=str(path)) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ParamsError("a params file holds one mapping (key: value)", file=str(path))
    return raw


def validate_params(raw: dict[str, Any], *, file: str | None = None) -> Params:
    """Validate a params mapping; the first problem is a ParamsError naming file and key."""
    try:
        return Params.model_validate(raw)
    except _KeyedError as exc:
        raise ParamsError(str(exc), file=file, key=exc.key) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        ctx = (err.get("ctx") or {}).get("error")
        key = _key_path(tuple(err["loc"]))
        if isinstance(ctx, _KeyedError):
            raise ParamsError(str(ctx), file=file, key=ctx.key) from None
        msg = str(ctx) if ctx is not None else err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        m = re.match(r"^\[(\d+)\] (.*)$", msg)
        if m:  # a list validator naming the element
            key, msg = f"{key}[{m.group(1)}]", m.group(2)
        raise ParamsError(msg, file=file, key=key or None) from None


def check_data_exists(params: Params, *, file: str | None = None, root: str | Path | None = None):
    """A file source and the Kolada export must exist (relative to ``root``, default cwd)."""
    if params.benchmark is not None:
        kolada = Path(params.benchmark.kolada)
        if not kolada.is_absolute():
            kolada = (Path(root) if root else Path.cwd()) / kolada
        if not kolada.is_file():
            raise ParamsError(
                f"Kolada export not found: {params.benchmark.kolada}",
                file=file,
                key="benchmark.kolada",
            )
    source = params.data.source
    if source.kind in FILE_KINDS and source.path:
        path = Path(source.path)
        if not path.is_absolute():
            path = (Path(root) if root else Path.cwd()) / path
        if not path.exists():
            raise ParamsError(
                f"data file not found: {source.path}", file=file, key="data.source.path"
            )


def load_params(
    path: str | Path, *, defaults: str | Path | None = None, check_files: bool = True
) -> Params:
    """Read a measure's YAML, merge ``defaults.yaml`` (beside it, or ``defaults``) under it, validate.

    Relative data paths are checked against the working directory (DESIGN 5).
    """
    path = Path(path)
    raw = _read_yaml(path)
    defaults_path = Path(defaults) if defaults else path.parent / DEFAULTS_NAME
    if defaults_path.is_file() and defaults_path.resolve() != path.resolve():
        raw = deep_merge(_read_yaml(defaults_path), raw)
    elif defaults is not None:
        raise ParamsError("defaults file not found", file=str(defaults_path))
    params = validate_params(raw, file=str(path))
    if check_files:
        check_data_exists(params, file=str(path))
    return params


__all__ = [
    "MODE_ESTIMATORS",
    "Goal",
    "STANDARD_OUTCOMES",
    "Benchmark",
    "CostAssumptions",
    "CostOverrides",
    "Data",
    "Design",
    "Intake",
    "Params",
    "Report",
    "Source",
    "deep_merge",
    "estimator_option_names",
    "load_params",
    "validate_params",
]
