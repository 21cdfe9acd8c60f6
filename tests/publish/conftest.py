"""A fixed timeline for the golden files."""

from __future__ import annotations

import pytest

from narrate.model import Chapter, Cue, Link, Table, TablePart, Timeline


@pytest.fixture
def timeline() -> Timeline:
    return Timeline(
        duration_ms=3_725_480,
        chapters=(
            Chapter("मानसून की अच्छी बारिश से किसानों को राहत", 0, 14_700),
            Chapter("मंडियों में क्या बदला? <दाम> & \"भाव\"", 14_700, 3_600_001),
            Chapter("आगे की राह", 3_600_001, 3_725_480),
        ),
        cues=(
            Cue("मानसून की अच्छी बारिश से किसानों को राहत। 14 अगस्त 2025", 300, 4_123, 0, "title"),
            Cue("इस साल मानसून ने समय पर दस्तक दी", 5_423, 7_999, 0, "body"),
            Cue("मंडियों में क्या बदला?", 15_000, 16_250, 1, "heading"),
            Cue("सोयाबीन ₹4,250 प्रति क्विंटल --> पिछले\nमहीने से <कम> & सस्ता", 17_000, 21_001, 1),
            Cue("आगे की राह", 3_600_301, 3_601_500, 2, "heading"),
            Cue("https://pmfby.gov.in पर आवेदन करें।", 3_602_250, 3_724_680, 2),
        ),
    )


#: Cell text a page must show as text, never as markup, and a "|" the text table escapes.
HOSTILE_CELL = '<script>window.__pwned=1</script> "x" & y</td></table>'
BUDGET = Table(
    "आवंटन <b>&</b> | बदलाव",
    ("मंत्रालय", "आवंटन (₹ करोड़)", "बदलाव (%)"),
    (("रक्षा", "6,81,210", "+9.5"), (HOSTILE_CELL, "2,87,333", "-2.4"),
     ("ICICI Bank | L&T", "1,500", "0")),
)
STATES = Table(
    "सभी राज्यों का हिस्सा",
    ("राज्य", "हिस्सा (₹ करोड़)"),
    tuple((f"राज्य {n}", f"{n * 1000:,}") for n in range(1, 18)),
)
ICICI = Link("ICICI Bank", "https://icici.example/?a=1&b=2")


@pytest.fixture
def table_timeline() -> Timeline:
    """Prose, a table read row by row (a row said in two cues, hostile cells, a link), and
    a table too large to read aloud: its notice said in two cues."""
    def row(n: int) -> TablePart:
        return TablePart(BUDGET, "row", n)

    notice = TablePart(STATES, "notice")
    cues = (
        Cue("बजट 2025: रक्षा को सबसे ज़्यादा पैसा", 0, 2_000, 0, "title", "paragraph"),
        Cue("सबसे बड़ा हिस्सा रक्षा को मिला है।", 2_500, 4_000, 0, ends="paragraph"),
        Cue("आवंटन <b>&</b> | बदलाव।", 4_500, 6_000, 0, ends="paragraph",
            table=TablePart(BUDGET, "caption")),
        Cue("रक्षा: ₹6,81,210 करोड़,", 6_500, 8_000, 0, ends="clause", table=row(0)),
        Cue("9.5% अधिक।", 8_100, 9_000, 0, ends="paragraph", table=row(0)),
        Cue(f"{HOSTILE_CELL}: ₹2,87,333 करोड़, 2.4% कम।", 9_500, 11_000, 0, ends="paragraph",
            table=row(1)),
        Cue("ICICI Bank | L&T: ₹1,500 करोड़, 0%।", 11_500, 13_000, 0, ends="paragraph",
            links=(ICICI,), table=row(2)),
        Cue("बाकी मंत्रालयों को पिछले साल जितना मिला।", 13_500, 15_000, 0, ends="paragraph"),
        Cue("राज्यों का हिस्सा", 16_000, 17_000, 1, "heading", "paragraph"),
        Cue("यहां लेख में एक तालिका है (सभी राज्यों का हिस्सा), 17 पंक्तियों की।", 17_500,
            19_000, 1, table=notice),
        Cue("इतने आंकड़े सुनकर समझना मुश्किल है; उसे लेख में देखें।", 19_100, 21_000, 1,
            ends="paragraph", table=notice),
        Cue("राज्यों ने इसका स्वागत किया।", 21_500, 23_000, 1, ends="paragraph"),
    )
    chapters = (Chapter("बजट 2025", 0, 15_500), Chapter("राज्यों का हिस्सा", 15_500, 23_500))
    return Timeline(duration_ms=23_500, chapters=chapters, cues=cues)
