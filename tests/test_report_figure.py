"""A report figure: an inline image (SVG unless PNG is smaller) at natural size, an alt text that
states the finding, and the figure's data as an accessible table, collapsed on screen."""

from __future__ import annotations

import base64
import io
import re
from urllib.parse import unquote

import pytest
from PIL import Image

from evalkit.plots.balance import love_plot
from evalkit.plots.theme import PNG_DPI
from evalkit.report.figure import (
    DataTable,
    alt_text,
    encode_figure,
    figure_with_data,
    image_html,
    table_html,
)

BALANCE = [
    {"covariate": "age", "smd_before": 0.43, "smd_after": 0.02},
    {"covariate": "female", "smd_before": -0.08, "smd_after": 0.01},
]
TABLE = DataTable(
    caption="Skillnad före och efter justering",
    header=["Bakgrundsvariabel", "Före", "Efter"],
    rows=[("Ålder", "0,430", "0,020"), ("Kvinna", "−0,080", "0,010")],
    numeric=(1, 2),
)


@pytest.fixture(scope="module")
def fig():
    return love_plot(BALANCE, before_label="Före", after_label="Efter")


def test_a_simple_chart_is_inline_svg_with_real_text(fig):
    image = encode_figure(fig)
    assert image.mime == "image/svg+xml"
    svg = unquote(image.uri.removeprefix("data:image/svg+xml,"))
    assert "<text" in svg and "Före" in svg


def test_svg_refers_to_nothing_outside_itself(fig):
    svg = unquote(encode_figure(fig, "svg").uri.removeprefix("data:image/svg+xml,"))
    links = re.findall(r'(?:href|src)="([^"#][^"]*)"', svg)
    assert links == []


def test_svg_uri_is_safe_inside_a_double_quoted_attribute(fig):
    uri = encode_figure(fig, "svg").uri
    assert not set('"<>#') & set(uri)


def test_png_is_drawn_at_the_stated_dpi_and_shown_at_natural_size(fig):
    image = encode_figure(fig, "png")
    png = Image.open(io.BytesIO(base64.b64decode(image.uri.split(",", 1)[1])))
    width_in = fig.get_size_inches()[0]
    assert png.size[0] == round(width_in * PNG_DPI)
    assert image.width == round(width_in * 96)


def test_auto_picks_the_smaller_encoding(fig):
    sizes = {fmt: len(encode_figure(fig, fmt).uri) for fmt in ("svg", "png")}
    assert len(encode_figure(fig).uri) == min(sizes.values())


def test_unknown_format_is_refused(fig):
    with pytest.raises(ValueError, match="image format"):
        encode_figure(fig, "gif")


def test_image_carries_its_alt_text_escaped_and_its_size(fig):
    tag = image_html(fig, 'Diagram: "skillnader" <före>')
    assert 'alt="Diagram: &quot;skillnader&quot; &lt;före&gt;"' in tag
    assert re.search(r'width="\d+" height="\d+"', tag)


def test_alt_text_is_what_the_chart_shows_then_the_finding():
    assert (
        alt_text("Diagram: skillnader per bakgrundsvariabel.", "Efter justering är alla små.")
        == "Diagram: skillnader per bakgrundsvariabel. Efter justering är alla små."
    )
    assert alt_text("Diagram: x.", "") == "Diagram: x."


def test_data_table_has_caption_column_and_row_headers():
    html = table_html(TABLE)
    assert "<caption>Skillnad före och efter justering</caption>" in html
    assert html.count('<th scope="col"') == 3
    assert re.findall(r'<th scope="row">([^<]+)</th>', html) == ["Ålder", "Kvinna"]
    assert '<td class="num">0,430</td>' in html


def test_data_table_scrolls_in_a_labelled_focusable_region():
    html = table_html(TABLE)
    assert html.startswith(
        '<div class="table-wrap" role="region" aria-label="Skillnad före och efter justering" '
        'tabindex="0">'
    )


def test_table_text_is_escaped():
    html = table_html(DataTable("<b>", ["a"], [("<script>",)]))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_figure_with_data_has_caption_image_and_collapsed_table(fig):
    html = figure_with_data(
        fig,
        alt=alt_text("Diagram: skillnader.", "Efter justering är alla små."),
        data=TABLE,
        show_data="Visa diagrammets uppgifter som tabell",
        caption="Skillnader före och efter justering",
    )
    assert html.startswith('<figure class="evalkit-figure"><figcaption>')
    assert re.search(
        r'<details class="figure-data"><summary>Visa diagrammets uppgifter som tabell</summary>'
        r'<div class="table-wrap"',
        html,
    )
    assert "<details open" not in html
    assert html.endswith("</details></figure>")


def test_inline_svg_starts_at_its_svg_element_and_carries_no_metadata(fig):
    svg = unquote(encode_figure(fig, "svg").uri.removeprefix("data:image/svg+xml,"))
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert "<metadata>" not in svg and "http://purl.org" not in svg
