"""``narrate engines`` (which voices work right now) and ``narrate cache`` (its size; clear it)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click

from narrate.cache import ClipCache
from narrate.cli._group import cli
from narrate.engines.registry import auto_order, engine_spec
from narrate.engines.spec import EngineDetails, EngineSpec
from narrate.fsutil import human_bytes
from narrate.synth import PROBE_TIMEOUT_S, engine_status


def engine_details(spec: EngineSpec) -> EngineDetails | None:
    """What the engine adds about itself (its ``details`` function), or None."""
    if not spec.details:
        return None
    module, _, function = spec.details.partition(":")
    found: EngineDetails = getattr(importlib.import_module(module), function)()
    return found


def voices_line(spec: EngineSpec) -> str:
    """``kokoro voices: hf_alpha (female, default), hf_beta (female), …``."""
    said = []
    for voice in spec.voices:
        notes = [voice.description] if voice.description else []
        if voice.name == spec.default_voice:
            notes.append("default")
        said.append(f"{voice.name} ({', '.join(notes)})" if notes else voice.name)
    return f"{spec.name} voices: {', '.join(said)}"


@cli.command("engines")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=PROBE_TIMEOUT_S,
    show_default=True,
    help="Seconds to wait for Google's answer.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def engines_command(timeout: float, as_json: bool) -> None:
    """List the speech engines and whether each can be used right now."""
    rows = engine_status(timeout=timeout)
    by_name = {row.name: row for row in rows}
    auto = next((s.name for s in auto_order() if s.name in by_name and by_name[s.name].usable),
                None)
    details = {row.name: engine_details(row.spec) for row in rows}
    if as_json:
        data: dict[str, object] = {
            "engines": [
                {
                    "name": row.name,
                    "usable": row.usable,
                    "detail": row.detail,
                    "offline": row.spec.offline,
                    "max_chars": row.spec.max_chars,
                    "audio_format": row.spec.audio_format,
                    "description": row.spec.description,
                    "voices": [v.name for v in row.spec.voices],
                    "default_voice": row.spec.default_voice,
                    "speed": list(row.spec.speed) if row.spec.speed else None,
                    "options": sorted(row.spec.takes),
                }
                for row in rows
            ],
            "auto": auto,
        }
        data.update({name: d.data for name, d in details.items() if d is not None})
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        return
    header = ("engine", "usable", "max chars", "format", "now")
    table = [header] + [
        (row.name, "yes" if row.usable else "no", str(row.spec.max_chars),
         row.spec.audio_format, row.detail)
        for row in rows
    ]
    widths = [max(len(line[k]) for line in table) for k in range(len(header) - 1)]
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        click.echo("  ".join([*cells, line[-1]]).rstrip())
    click.echo("")
    for row in rows:
        click.echo(f"{row.name}: {row.spec.description}")
    click.echo("")
    for row in rows:
        if row.spec.voices:
            click.echo(voices_line(row.spec))
        found = details[row.name]
        for text in found.lines if found is not None else ():
            click.echo(text)
    choice = auto or "nothing usable"
    click.echo(f"auto (the default): {engine_spec('auto').description}; now: {choice}")


@cli.command("cache")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Clip cache folder (default: $NARRATE_CACHE_DIR, else the user's cache folder).",
)
@click.option("--clear", is_flag=True, help="Remove every cached clip.")
def cache_command(cache_dir: Path | None, clear: bool) -> None:
    """Show where the clip cache is and how big; --clear empties it."""
    cache = ClipCache(cache_dir)
    if clear:
        removed = cache.clear()
        click.echo(
            f"removed {removed.files} clips ({human_bytes(removed.bytes)}) from {cache.directory}"
        )
        return
    size = cache.size()
    click.echo(f"cache: {cache.directory}")
    click.echo(f"clips: {size.files} ({human_bytes(size.bytes)})")
