"""Tables from the readers to the model: each paragraph a table is read as carries the part
of the table it reads (:class:`~narrate.model.TablePart`), and the table itself is kept as
the article wrote it (cells NFC, single spaces), so the transcript and the embed can show
it; the script hands the parts on to every chunk."""

from __future__ import annotations

import unicodedata

import pytest
import trafilatura

from narrate.model import Article, Section, Table, TablePart
from narrate.readers import parse_article
from narrate.readers.assemble import Draft, build_article
from narrate.readers.tables import LEFT_OUT, MAX_ROWS
from narrate.script import build_script

BODY = "वित्त मंत्री ने संसद में बजट पेश किया। सबसे बड़ा हिस्सा रक्षा को मिला है।"
#: "Cafe" with a combining acute accent (not NFC) and a run of spaces: cleaned when shown.
CAFE = "Cafe\u0301   कॉफ़ी"


def read(text: str, name: str) -> Article:
    return parse_article(text.encode("utf-8"), source=name)


def parts_of(section: Section) -> list[tuple[int, str, int]]:
    return [(i, part.kind, part.row) for i, part in section.tables]


def the_table(section: Section) -> Table:
    (table,) = {id(part.table): part.table for _, part in section.tables}.values()
    return table


def test_markdown_table_is_kept_with_its_cells_as_written() -> None:
    article = read(
        f"# बजट\n\n{BODY}\n\n| मंत्रालय | आवंटन (₹ करोड़) |\n|---|---|\n"
        f"| रक्षा  | 6,81,210 |\n|  |  |\n| {CAFE} | `1,500` |\n\nअंतिम   पंक्ति।\n",
        "a.md",
    )
    (section,) = article.sections
    assert section.paragraphs == (
        BODY, "रक्षा: आवंटन ₹6,81,210 करोड़।", "Café कॉफ़ी: आवंटन ₹1,500 करोड़।", "अंतिम पंक्ति।"
    )
    assert parts_of(section) == [(1, "row", 0), (2, "row", 1)]  # the empty row is not a row
    table = the_table(section)
    assert table == Table(
        "", ("मंत्रालय", "आवंटन (₹ करोड़)"), (("रक्षा", "6,81,210"), ("Café कॉफ़ी", "1,500"))
    )
    assert all(unicodedata.is_normalized("NFC", c) for row in table.rows for c in row)
    # every part names the very same table (one home for it)
    assert len({id(part.table) for _, part in section.tables}) == 1


def test_markdown_table_too_large_is_one_notice_that_keeps_the_whole_table() -> None:
    rows = "".join(f"| ज़िला {n} | {n * 100} |\n" for n in range(1, MAX_ROWS + 2))
    article = read(f"{BODY}\n\n| ज़िला | वोट |\n|---|---|\n{rows}", "big.md")
    (section,) = article.sections
    assert section.paragraphs[1].startswith(LEFT_OUT)
    assert parts_of(section) == [(1, "notice", -1)]
    table = the_table(section)
    assert len(table.rows) == MAX_ROWS + 1 and table.rows[-1] == (f"ज़िला {MAX_ROWS + 1}", "1600")


def test_a_table_under_an_empty_heading_stays_with_its_paragraphs() -> None:
    article = read(
        f"{BODY}\n\n## खेल\n\n### पदक\n\n| देश | स्वर्ण |\n|---|---|\n| भारत | 7 |\n| चीन | 40 |\n",
        "medals.md",
    )
    section = article.sections[1]
    assert section.title == "खेल: पदक"
    assert parts_of(section) == [(0, "row", 0), (1, "row", 1)]
    assert the_table(section).rows == (("भारत", "7"), ("चीन", "40"))


def test_build_article_keeps_the_parts_on_their_paragraphs_when_empty_ones_go() -> None:
    table = Table("नतीजे", ("दल", "सीटें"), (("क", "12"),))
    draft = Draft(None, ["", "  ", BODY])
    draft.add("नतीजे।", TablePart(table, "caption"))
    draft.add("  ")
    draft.add("क: सीटें 12।", TablePart(table, "row", 0))
    article = build_article(source="x", title="शीर्षक", drafts=[draft])
    (section,) = article.sections
    assert section.paragraphs == (BODY, "नतीजे।", "क: सीटें 12।")
    assert parts_of(section) == [(1, "caption", -1), (2, "row", 0)]


HTML_TABLE = f"""<!doctype html><html lang="hi"><head><meta charset="utf-8">
<title>बजट</title></head><body><main><article><h1>बजट 2025</h1><p>{BODY}</p>
<h2>आवंटन</h2><p>मंत्रालयों को इस साल पहले से ज़्यादा पैसा मिला है, देखें तालिका।</p>
<figure><table><thead><tr><th>मंत्रालय</th><th>बदलाव (%)</th></tr></thead><tbody>
<tr><td><b>रक्षा</b></td><td>+9.5</td></tr>
<tr><td>  ग्रामीण
 विकास </td><td>-3.2</td></tr>
<tr><td>&lt;script&gt;x&lt;/script&gt; {CAFE}</td><td>0</td></tr>
</tbody></table><figcaption>प्रमुख मंत्रालय</figcaption></figure>
<p>सरकार ने कहा कि यह बजट विकास और रोज़गार पर केंद्रित है।</p></article></main></body></html>"""


@pytest.mark.parametrize("reader", ["trafilatura", "the lxml rules"])
def test_html_table_is_kept_with_its_caption_and_cells(
    reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if reader == "the lxml rules":
        monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    article = read(HTML_TABLE, "budget.html")
    section = article.sections[1]
    assert section.title == "आवंटन"
    assert section.paragraphs[1:5] == (
        "प्रमुख मंत्रालय।",
        "रक्षा: बदलाव 9.5% अधिक।",
        "ग्रामीण विकास: बदलाव 3.2% कम।",
        "<script>x</script> Café कॉफ़ी: बदलाव 0%।",
    )
    assert parts_of(section) == [(1, "caption", -1), (2, "row", 0), (3, "row", 1), (4, "row", 2)]
    assert the_table(section) == Table(
        "प्रमुख मंत्रालय",
        ("मंत्रालय", "बदलाव (%)"),
        (("रक्षा", "+9.5"), ("ग्रामीण विकास", "-3.2"), ("<script>x</script> Café कॉफ़ी", "0")),
    )


def test_an_html_table_row_equal_to_prose_elsewhere_marks_the_one_in_the_table() -> None:
    """The parts are matched in the page's order: a paragraph before the table that reads
    like a row of it stays prose."""
    page = HTML_TABLE.replace(
        "<h2>आवंटन</h2>", "<p>ग्रामीण विकास: बदलाव 3.2% कम।</p><h2>आवंटन</h2>"
    )
    article = read(page, "budget.html")
    assert article.sections[0].paragraphs[-1] == "ग्रामीण विकास: बदलाव 3.2% कम।"
    assert article.sections[0].tables == ()
    kinds = [kind for _, kind, _ in parts_of(article.sections[1])]
    assert kinds == ["caption", "row", "row", "row"]


def test_script_hands_the_part_to_every_chunk_of_the_paragraph() -> None:
    """A row said in several chunks (a short engine limit) is still one row; prose chunks
    read no table."""
    wide = "| ज़िला | मतदान (%) | पुरुष (%) | महिलाएँ (%) |\n|---|---|---|---|\n"
    rows = "| पूर्वी चंपारण | 61.5 | 58.25 | 64.75 |\n| पश्चिमी चंपारण | 59.1 | 57.3 | 61.2 |\n"
    script = build_script(read(f"{BODY}\n\n{wide}{rows}\nमतदान शांतिपूर्ण रहा।\n", "v.md"),
                          max_chars=60)
    chunks = script.chunks
    read_rows = [c.table.row for c in chunks if c.table is not None]
    assert read_rows.count(0) >= 2 and set(read_rows) == {0, 1}  # the first row is cut
    assert read_rows == sorted(read_rows)
    assert {c.table.table for c in chunks if c.table} == {
        Table("", ("ज़िला", "मतदान (%)", "पुरुष (%)", "महिलाएँ (%)"),
              (("पूर्वी चंपारण", "61.5", "58.25", "64.75"),
               ("पश्चिमी चंपारण", "59.1", "57.3", "61.2")))
    }
    assert all(c.table is None for c in chunks if "मतदान शांतिपूर्ण" in c.display or c.kind != "body")


@pytest.mark.parametrize(
    ("previous", "part", "goes_on"),
    [
        (None, TablePart(Table("क", (), (("1",),)), "caption"), False),
        (TablePart(Table("क", (), (("1",),)), "caption"),
         TablePart(Table("क", (), (("1",),)), "row", 0), True),  # equal tables are the same
        (TablePart(Table("क", (), (("1",), ("2",))), "row", 1),
         TablePart(Table("क", (), (("1",), ("2",))), "row", 1), True),  # a row in two chunks
        (TablePart(Table("क", (), (("1",), ("2",))), "row", 1),
         TablePart(Table("क", (), (("1",), ("2",))), "row", 0), False),  # the same table again
        (TablePart(Table("क", (), (("1",),)), "row", 0),
         TablePart(Table("क", (), (("1",),)), "caption"), False),
        (TablePart(Table("क", (), (("1",),)), "notice"),
         TablePart(Table("क", (), (("1",),)), "notice"), True),  # a notice of two sentences
        (TablePart(Table("क", (), (("1",),)), "row", 0),
         TablePart(Table("ख", (), (("1",),)), "row", 0), False),
    ],
)
def test_parts_follow_within_one_table(
    previous: TablePart | None, part: TablePart, goes_on: bool
) -> None:
    assert part.follows(previous) is goes_on
