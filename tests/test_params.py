"""Params files (DESIGN 5): validated before anything runs; errors name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evalkit.errors import ParamsError
from evalkit.params import Params, load_params

ROOT = Path(__file__).resolve().parent.parent
DEMO_MEASURES = (
    "jobbspar_vard",
    "arbetsmarknadsanstallning",
    "praktik",
    "sprakpraktik",
    "coachning",
    "mentorprogram",
)


def table_params(data_file: str = "projekt_x.csv", **changes) -> dict:
    """A valid table-mode params mapping (data path relative to the working directory)."""
    raw = {
        "measure_id": "projekt_x",
        "title": "Projekt X",
        "data": {
            "mode": "table",
            "source": {"kind": "csv", "path": data_file},
            "id": "person_id",
            "treatment": "deltog",
        },
        "outcomes": ["arbete_12m"],
        "covariates": ["alder"],
        "estimators": ["naive", "regression"],
    }
    raw.update(changes)
    return raw


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A working directory holding an (empty) data file the params name."""
    (tmp_path / "projekt_x.csv").write_text("person_id,deltog,arbete_12m,alder\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, raw: dict, name: str = "x.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def error_of(path: Path, **kwargs) -> ParamsError:
    with pytest.raises(ParamsError) as info:
        load_params(path, **kwargs)
    return info.value


def test_valid_table_params_load(folder):
    params = load_params(write(folder, table_params()))
    assert isinstance(params, Params)
    assert params.data.treatment == "deltog"
    assert params.report.min_cell == 5  # default


def test_unknown_top_level_key_names_file_and_key(folder):
    path = write(folder, table_params(colour="blue"))
    err = error_of(path)
    assert err.key == "colour"
    assert err.file == str(path)
    assert "colour" in str(err) and str(path) in str(err)


def test_unknown_nested_key_names_its_path(folder):
    raw = table_params(design={"intake": {"start": "2021-01", "end": "2021-12", "stop": "x"}})
    assert error_of(write(folder, raw)).key == "design.intake.stop"


def test_wrong_type_names_the_key(folder):
    raw = table_params(report={"min_cell": "five"})
    assert error_of(write(folder, raw)).key == "report.min_cell"


def test_badly_written_month_names_design_intake_start(folder):
    raw = table_params(design={"intake": {"start": "January 2021", "end": "2021-12"}})
    err = error_of(write(folder, raw))
    assert err.key == "design.intake.start"
    assert "YYYY-MM" in str(err)


def test_unknown_estimator_names_its_list_position(folder):
    raw = table_params(estimators=["naive", "magic_forest"])
    err = error_of(write(folder, raw))
    assert err.key == "estimators[1]"
    assert "magic_forest" in str(err)


def test_estimator_that_does_not_fit_the_mode_is_an_error(folder):
    raw = table_params(estimators=["naive", "cs_did"])
    err = error_of(write(folder, raw))
    assert err.key == "estimators[1]"
    assert "table" in str(err)


def test_unknown_estimator_option_names_estimator_and_option(folder):
    raw = table_params(estimator_options={"matching": {"neighbors": 2}})
    assert error_of(write(folder, raw)).key == "estimator_options.matching.neighbors"


def test_known_estimator_option_is_accepted(folder):
    raw = table_params(estimator_options={"matching": {"neighbours": 2, "caliper": 0.2}})
    params = load_params(write(folder, raw))
    assert params.estimator_options["matching"]["neighbours"] == 2


def test_unknown_registers_outcome_names_its_position(folder):
    raw = {
        "measure_id": "m",
        "title": "M",
        "data": {"mode": "registers", "source": {"kind": "csv", "path": "."}},
        "outcomes": ["work_or_study_12m", "happiness_12m"],
        "estimators": ["naive"],
    }
    err = error_of(write(folder, raw))
    assert err.key == "outcomes[1]"
    assert "happiness_12m" in str(err)


def test_missing_data_file_names_data_source_path(folder):
    raw = table_params(data_file="nowhere.csv")
    path = write(folder, raw)
    err = error_of(path)
    assert err.key == "data.source.path"
    assert err.file == str(path)


def test_table_mode_without_treatment_column_names_data_treatment(folder):
    raw = table_params()
    del raw["data"]["treatment"]
    assert error_of(write(folder, raw)).key == "data.treatment"


def test_bad_goal_indicator_names_the_goal_key(folder):
    goal = {
        "id": "G1",
        "source": "Mål och budget 2023, dnr KS 2022/118",
        "text": "t",
        "indicator": "happiness",
        "target": 0.4,
    }
    assert error_of(write(folder, table_params(goals=[goal]))).key == "goals[0].indicator"


def test_goal_source_may_be_a_plain_string(folder):
    goal = {
        "id": "G1",
        "source": "Mål och budget 2023, dnr KS 2022/118",
        "text": "t",
        "indicator": "effect:arbete_12m",
        "target": 0.05,
    }
    params = load_params(write(folder, table_params(goals=[goal])))
    assert params.goals[0].source.dnr == "KS 2022/118"


def test_missing_params_file_is_a_params_error(folder):
    err = error_of(folder / "absent.yaml")
    assert err.file == str(folder / "absent.yaml")


def test_invalid_yaml_names_the_file(folder):
    path = folder / "bad.yaml"
    path.write_text("measure_id: [unclosed\n")
    assert error_of(path).file == str(path)


def test_defaults_beside_the_file_are_merged_under_it(folder):
    write(folder, {"design": {"comparison": "eligible", "eligibility_months": 6}}, "defaults.yaml")
    raw = table_params(design={"eligibility_months": 2})
    params = load_params(write(folder, raw))
    assert params.design.comparison == "eligible"  # from defaults
    assert params.design.eligibility_months == 2  # the measure's own value wins


def test_defaults_given_explicitly_are_merged(folder):
    other = folder / "shared"
    other.mkdir()
    write(other, {"report": {"lang": "en"}}, "common.yaml")
    params = load_params(write(folder, table_params()), defaults=other / "common.yaml")
    assert params.report.lang == "en"


def test_defaults_keys_are_checked_too(folder):
    write(folder, {"colour": "blue"}, "defaults.yaml")
    assert error_of(write(folder, table_params())).key == "colour"


def test_relative_data_path_resolves_against_the_working_directory(folder, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("params_elsewhere")
    path = write(elsewhere, table_params())  # the data file is in cwd, not beside the params
    params = load_params(path)
    assert params.data.source.path == "projekt_x.csv"


def test_resolved_gives_absolute_data_path(folder):
    params = load_params(write(folder, table_params()))
    resolved = params.resolved(folder)
    assert Path(resolved.data.source.path) == (folder / "projekt_x.csv").resolve()
    assert params.data.source.path == "projekt_x.csv"  # the original is unchanged


def test_params_render_as_html_table(folder):
    html = load_params(write(folder, table_params()))._repr_html_()
    assert html.startswith("<table") and "projekt_x" in html


@pytest.mark.parametrize("measure", DEMO_MEASURES)
def test_demo_params_load_with_defaults(measure):
    params = load_params(ROOT / "params" / f"{measure}.yaml", check_files=False)
    assert params.measure_id == measure
    assert params.data.mode == "registers"
    assert params.data.source.path == "data/demo.duckdb"


@pytest.mark.parametrize("measure", DEMO_MEASURES)
def test_demo_goals_are_descriptive_and_causal_from_two_documents(measure):
    params = load_params(ROOT / "params" / f"{measure}.yaml", check_files=False)
    kinds = {g.kind for g in params.goals}
    assert kinds == {"descriptive", "causal"}
    assert len({g.source.dnr for g in params.goals}) >= 2
    assert all(g.source.title and g.source.decided for g in params.goals)


def test_example_params_load_from_the_project_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert load_params("examples/projekt_x.yaml").data.mode == "table"
    assert load_params("examples/lan_panel.yaml").data.mode == "panel"


def test_a_key_given_twice_is_an_error_naming_file_key_and_line(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("measure_id: x\nreport: {lang: sv}\nreport:\n  min_cell: 5\n", encoding="utf-8")
    with pytest.raises(ParamsError) as info:
        load_params(path)
    message = str(info.value)
    assert "twice" in message and "line 3" in message
    assert "twice.yaml" in message and "'report'" in message
