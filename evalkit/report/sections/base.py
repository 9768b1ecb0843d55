"""What every section shares: the opening (ProtectedResults only, language, failed runs), units,
charts with their data, and the words for counts and suppressed values."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.figure import Figure

from evalkit.report.downloads import download_links, page_tables
from evalkit.report.figure import DataTable, alt_text, figure_with_data
from evalkit.report.render import (
    Section,
    fmt_count,
    fmt_effect,
    kind_of,
    section,
    with_unit,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    HEADLINE_ORDER,
    MeasureResults,
    ProtectedResults,
    require_protected,
)

EMPTY = ""

#: Estimators whose comparison units in registers mode are person-months (one row per person
#: and reference month); the panel estimators count persons.
PERSON_MONTH_ESTIMATORS = frozenset(
    {"naive", "regression", "ipw", "matching", "aipw", "dynamic_matching"}
)

#: What a section builder returns: the parts of its section, or None for an empty section.
Parts = list[str] | None


def measure_section(
    key: str, *, on_failure: Callable[[ProtectedResults], Section] | None = None
) -> Callable[[Callable[[ProtectedResults, str], Parts]], Callable[[ProtectedResults], Section]]:
    """The opening every section shares: ``ProtectedResults`` only, its language, failed runs.

    The decorated builder gets the results and the language and returns the section's parts
    (None: nothing to show). A failed run shows ``on_failure`` (default: an empty section).
    Tables made by the builder are named ``<measure_id>-<key>-<n>`` for download.
    """

    def wrap(build: Callable[[ProtectedResults, str], Parts]) -> Callable[..., Section]:
        @functools.wraps(build)
        def make(results: ProtectedResults) -> Section:
            r = require_protected(results)
            if r.is_failed:
                return on_failure(r) if on_failure else Section(key, EMPTY)
            with page_tables(f"{r.measure_id}-{key}", r.lang):
                parts = build(r, r.lang)
            return section(key, r.lang, *parts) if parts is not None else Section(key, EMPTY)

        return make

    return wrap


def outcome_kind(results: MeasureResults, outcome: str) -> str:
    """``share`` (0/1 outcome: effects in percentage points), ``sek`` or ``num``.

    Standard outcomes are known by name; for a table- or panel-mode outcome the MDE diagnostic
    says whether it is binary.
    """
    kind = kind_of(outcome)
    if kind != "num":
        return kind
    mde = results.diagnostics_of(outcome).mde
    return "share" if mde is not None and mde.binary is True else "num"


def is_monthly(outcome: str) -> bool:
    """A path outcome measured per month (``assistance_sek`` is kronor per month)."""
    return outcome in ("assistance_sek", "work_or_study")


def unit_key(kind: str, outcome: str = "") -> str | None:
    """The wording's unit of an outcome's effects: percentage points, kronor (per month)."""
    if kind == "share":
        return "pp"
    if kind == "sek":
        return "sek_month" if is_monthly(outcome) else "sek"
    return None


def unit_label(kind: str, lang: str, outcome: str = "") -> str:
    """The unit of an outcome's effects in words: percentage points, kr (per month), or none."""
    f = words(lang)["figures"]
    key = unit_key(kind, outcome)
    return f[key] if key else ""


def effect_text(shown: str, kind: str, lang: str, outcome: str = "") -> str:
    """An effect with its unit in words ('1 procentenhet', '1 553 kr'); – stays –."""
    key = unit_key(kind, outcome)
    return with_unit(shown, key, lang) if key else str(shown)


def change_text(value: float, kind: str, lang: str, outcome: str = "") -> str:
    """An effect as a change in words: 'en ökning med 1 553 kr', 'en minskning med 2
    procentenheter', 'ingen förändring' (never a signed number)."""
    h = words(lang)["headline"]
    shown = fmt_effect(abs(value), outcome, lang, kind)
    if not shown.value:
        return h["change_zero"]
    return h["change_up" if value > 0 else "change_down"].format(
        est=effect_text(shown, kind, lang, outcome)
    )


def change_range(low: float, high: float, kind: str, lang: str, outcome: str = "") -> str:
    """A range of effects in words: 'en ökning med 23,0 till 23,4 procentenheter', or 'från en
    minskning med 2 till en ökning med 5 kr' when the range crosses zero."""
    h = words(lang)["headline"]
    f = words(lang)["figures"]
    if low == high:
        return change_text(low, kind, lang, outcome)
    if low > 0 or high < 0:
        a, b = sorted((abs(low), abs(high)))
        span = f["range"].format(
            low=fmt_effect(a, outcome, lang, kind), high=fmt_effect(b, outcome, lang, kind)
        )
        key = unit_key(kind, outcome)
        text = with_unit(span, key, lang) if key else span
        return h["change_up" if low > 0 else "change_down"].format(est=text)
    return f["range_across"].format(
        low=change_text(low, kind, lang, outcome), high=change_text(high, kind, lang, outcome)
    )


def scale(kind: str) -> float:
    """Shares are drawn in percentage points."""
    return 100.0 if kind == "share" else 1.0


def axis_label(outcome: str, kind: str, lang: str) -> str:
    """An axis label: the outcome's name and the unit of its effects."""
    unit = unit_label(kind, lang, outcome)
    name = label(lang, "outcomes", outcome)
    return f"{name} ({unit})" if unit else name


def chart(
    fig: Figure,
    *,
    what: str,
    finding: str,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    lang: str,
    numeric: Sequence[int] = (),
) -> str:
    """A chart whose alt text states the finding, with its data as a table (collapsed on screen,
    printed in full) that can be downloaded like every other table."""
    data = DataTable(caption=caption, header=list(header), rows=rows, numeric=tuple(numeric))
    return figure_with_data(
        fig,
        alt=alt_text(what, finding),
        data=data,
        show_data=words(lang)["figures"]["show_data"],
        caption=caption,
    ) + download_links(header, rows, label=caption)


def control_unit(r: MeasureResults, estimator: str | None) -> str:
    """What an estimate's comparison units are: ``person_months`` (registers mode's
    cross-sectional and stacked estimators), ``persons`` (one row per person) or ``units``."""
    mode = r.sample.data_mode
    if mode == "registers":
        return "person_months" if estimator in PERSON_MONTH_ESTIMATORS else "persons"
    return "units" if mode == "panel" else "persons"


def control_text(r: MeasureResults, n_control: int | None, estimator: str | None) -> str:
    """The comparison group of an estimate in words, with persons and person-months apart:
    '6 321 personmånader i jämförelsegruppen, från 4 692 personer (…)'."""
    lang = r.lang
    h = words(lang)["headline"]
    count = fmt_count(n_control, lang)
    unit = control_unit(r, estimator)
    if unit == "person_months":
        months = with_unit(count, "person_months", lang)
        persons = r.sample.n_control_persons
        if persons is not None and n_control == r.sample.n_control:
            return h["control_person_months"].format(
                months=months, persons=with_unit(fmt_count(persons, lang), "persons", lang)
            )
        return h["control_months_only"].format(months=months)
    return h["control_persons"].format(persons=with_unit(count, "persons", lang))


def suppressed_why(r: ProtectedResults, path: str) -> str | None:
    """The disclosure reason of a suppressed value (``disclosure.reasons``), or None."""
    return r.disclosure.reason(path)


def estimate_index(r: MeasureResults, entry: Any) -> int | None:
    """The position of an estimate in ``results.estimates`` (for its disclosure path)."""
    for i, e in enumerate(r.estimates):
        if e is entry:
            return i
    return None


def lead_order(r: MeasureResults) -> list[str]:
    """Estimators in the order the summary leads with them (the headline's first)."""
    first = [r.headline.estimator] if r.headline else []
    return [*first, *(e for e in HEADLINE_ORDER if e not in first)]
