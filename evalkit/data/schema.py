"""The register tables of DESIGN 3.1: columns, types, code lists and the stable validation rule ids.

This module is the contract between the loader, the validator, the synthetic municipality and
the analysis sample. Column names here are the defaults; params may map other names onto them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- code lists -------------------------------------------------------------------------------

SEX = ("K", "M")
BIRTH_REGION = ("sverige", "europa", "utanfor_europa")
EDUCATION = ("forgymnasial", "gymnasial", "eftergymnasial", "okand")
END_REASON = (
    "arbete_osubventionerat",
    "arbete_subventionerat",
    "studier",
    "annan_insats",
    "avbrott",
    "flytt",
    "sjukdom_foraldraledighet",
    "annat",
    "pagaende",
)
STATUS = (
    "arbete",
    "arbete_subventionerat",
    "studier",
    "kommunal_insats",
    "af_program",
    "arbetslos",
    "sjuk",
    "foraldraledig",
    "okand",
)

#: Kolada's "work or studies": regular or subsidised work, or studies. Municipal labour-market
#: jobs (status ``kommunal_insats``) do not count as work.
WORK_OR_STUDY_STATUS = ("arbete", "arbete_subventionerat", "studier")
WORK_OR_STUDY_END_REASON = ("arbete_osubventionerat", "arbete_subventionerat", "studier")


@dataclass(frozen=True)
class Column:
    """One column of a register table."""

    name: str
    kind: str  # "str" | "int" | "float" | "date" | "month"
    nullable: bool = False
    codes: tuple[str, ...] | None = None
    min_value: float | None = None


@dataclass(frozen=True)
class Table:
    """One register table: its columns and its key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True
    optional_columns: tuple[str, ...] = field(default=())  # may be absent: read as all missing

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "persons",
            (
                Column("person_id", "str"),
                Column("birth_year", "int", min_value=1900),
                Column("sex", "str", codes=SEX),
                Column("birth_region", "str", codes=BIRTH_REGION),
                Column("arrival_year", "int", nullable=True, min_value=1900),
                Column("education", "str", codes=EDUCATION),
                Column("household_id", "str"),
            ),
            key=("person_id",),
        ),
        Table(
            "measures",
            (
                Column("measure_id", "str"),
                Column("name", "str"),
                Column("type", "str"),
                Column("owner", "str", nullable=True),
                Column("decision_ref", "str", nullable=True),
                Column("cost_per_participant_month_sek", "float", nullable=True, min_value=0),
            ),
            key=("measure_id",),
            optional_columns=("owner", "decision_ref", "cost_per_participant_month_sek"),
        ),
        Table(
            "participations",
            (
                Column("person_id", "str"),
                Column("measure_id", "str"),
                Column("start_date", "date"),
                Column("end_date", "date", nullable=True),
                Column("end_reason", "str", nullable=True, codes=END_REASON),
            ),
            key=("person_id", "measure_id", "start_date"),
        ),
        Table(
            "assistance",
            (
                Column("household_id", "str"),
                Column("month", "month"),
                Column("amount_sek", "float", min_value=0),
            ),
            key=("household_id", "month"),
        ),
        Table(
            "status",
            (
                Column("person_id", "str"),
                Column("month", "month"),
                Column("status", "str", codes=STATUS),
            ),
            key=("person_id", "month"),
        ),
        Table(
            "costs",
            (
                Column("measure_id", "str"),
                Column("month", "month"),
                Column("cost_sek", "float", min_value=0),
                Column("external_funding_sek", "float", nullable=True, min_value=0),
            ),
            key=("measure_id", "month"),
            required=False,
            optional_columns=("external_funding_sek",),
        ),
    )
}

# --- validation rules ---------------------------------------------------------------------------
# Stable ids: tests, quarantine files, reports and users' scripts refer to them. Never renumber.

RULES: dict[str, str] = {
    # fatal: stop the run
    "E001": "required table missing",
    "E002": "required column missing",
    "E003": "table is empty",
    # row-level: quarantine the row
    "R101": "value has the wrong type (cannot be read as the column's type)",
    "R102": "required value missing",
    "R103": "duplicate key",
    "R104": "unknown code",
    "R105": "negative amount",
    "R106": "end date before start date",
    "R107": "month outside the data's period",
    "R108": "invalid personnummer (format, date or check digit)",
    "R109": "reference to an unknown person, household or measure",
    "R110": "month is not the first day of a month",
    "R111": "value below the column's minimum (e.g. a year before 1900)",
}

#: Foreign keys checked by rule R109: (table, column) -> (parent table, parent column).
#: A reference is unknown when the parent table holds no row with that value at all.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("participations", "person_id"): ("persons", "person_id"),
    ("participations", "measure_id"): ("measures", "measure_id"),
    ("status", "person_id"): ("persons", "person_id"),
    ("assistance", "household_id"): ("persons", "household_id"),
    ("costs", "measure_id"): ("measures", "measure_id"),
}

FATAL_RULES = frozenset({"E001", "E002", "E003"})
