"""``narrate script``: the narration script, for a person or (``--json``) for a program."""

from __future__ import annotations

import json
from pathlib import Path

import click

from narrate.cli._group import cli
from narrate.cli._options import article_options
from narrate.model import Script
from narrate.text.lexicon import Lexicon

_ENDS = {"word": "~", "phrase": "/", "clause": ",", "sentence": ".", "paragraph": "¶"}


@cli.command("script")
@click.argument("article")
@article_options
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
def script_command(
    article: str,
    engine: str,
    lexicon: Path | None,
    fmt: str | None,
    timeout: float,
    as_json: bool,
) -> None:
    """Print the narration script of ARTICLE: exactly what the engine will be asked to say.

    ARTICLE is a file (txt, md, html, json), - for standard input, or an http(s) URL. With
    --engine auto the engine is the one auto picks now (named on the first line).
    """
    from narrate.config import load_config
    from narrate.engines.registry import engine_spec
    from narrate.pipeline import BuildSettings, load_script
    from narrate.synth import resolve_engine
    from narrate.text.lexicon import load_lexicon

    if lexicon is None:
        config = load_config()
        if config is not None and config.pronunciation:
            lexicon = Path(config.pronunciation)
    rules = load_lexicon(lexicon) if lexicon else None
    choice = resolve_engine(engine)
    name = choice.engine.name
    settings = BuildSettings(lexicon=rules, fmt=fmt, timeout=timeout)
    script = load_script(article, name, settings)
    if as_json:
        data = {"engine": name, **script.to_json()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        how = f" (auto: {choice.note})" if choice.note else " (auto)" if engine == "auto" else ""
        phonemes = engine_spec(name).phonemes
        click.echo(f"engine {name}{how}")
        click.echo(format_script(script, lexicon=rules, phonemes=phonemes))


def format_script(script: Script, *, lexicon: Lexicon | None = None, phonemes: bool = False) -> str:
    """The script as a person reads it: sections, numbered chunks with kind, spoken length
    and what boundary ends them (. sentence, ¶ paragraph, , clause, / phrase, ~ word), under
    each chunk the rules that changed it (the pronunciation file's, then the reading rules'
    families), then warnings."""
    from narrate.text.normalize import rules_applied

    chunks = script.chunks
    ends_at_sentence = sum(c.ends in ("sentence", "paragraph") for c in chunks)
    lines = [
        script.title,
        f"date {script.date.isoformat() if script.date else 'unknown'} · "
        f"{len(script.sections)} sections · {len(chunks)} chunks "
        f"({ends_at_sentence} end a sentence) · limit {script.max_chars} characters",
    ]
    number = 0
    for index, section in enumerate(script.sections, start=1):
        lines += ["", f"§{index} {section.title}"]
        for chunk in section.chunks:
            number += 1
            lines.append(
                f"{number:4d} {chunk.kind:<7} {len(chunk.text):3d}{_ENDS[chunk.ends]} {chunk.text}"
            )
            applied = rules_applied(chunk.display, lexicon, phonemes=phonemes)
            if applied:
                lines.append(f"{'':17}rules: {', '.join(applied)}")
    if script.warnings:
        lines += ["", "warnings:"] + [f"  - {w}" for w in script.warnings]
    return "\n".join(lines)
