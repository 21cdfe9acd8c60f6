"""A fixed timeline for the golden files."""

from __future__ import annotations

import pytest

from narrate.model import Chapter, Cue, Timeline


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
