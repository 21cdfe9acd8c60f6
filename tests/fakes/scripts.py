"""Hand-made scripts for synthesis tests."""

from __future__ import annotations

from narrate.model import Chunk, Script, ScriptSection


def make_script(sections: dict[str, list[str]], title: str = "परीक्षण") -> Script:
    """A script with one section per key, each chunk a body chunk of the given text."""
    return Script(
        title=title,
        date=None,
        sections=tuple(
            ScriptSection(name, tuple(Chunk(text, text, "body") for text in texts))
            for name, texts in sections.items()
        ),
    )


def numbered_script(count: int, per_section: int = 5) -> Script:
    """``count`` distinct chunks in sections of ``per_section``."""
    texts = [f"यह वाक्य संख्या {n} है।" for n in range(1, count + 1)]
    sections = {
        f"भाग {k // per_section + 1}": texts[k : k + per_section]
        for k in range(0, count, per_section)
    }
    return make_script(sections)
