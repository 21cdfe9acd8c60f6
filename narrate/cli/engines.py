"""``narrate engines`` (which voices work right now) and ``narrate cache`` (its size; clear it)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from narrate.cache import ClipCache
from narrate.cli._group import cli
from narrate.engines.base import OFFLINE_ORDER, engine_spec
from narrate.synth import PROBE_TIMEOUT_S, engine_status


def human_bytes(size: int) -> str:
    """``1.2 MB``: decimal units, as file managers show them."""
    if size < 1000:
        return f"{size} B"
    value = size / 1000
    for unit in ("kB", "MB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def kokoro_details() -> tuple[dict[str, object], list[str]]:
    """The Kokoro model and voices (sizes, licenses, installed and intact): for --json, and
    as the lines ``narrate engines`` prints."""
    from narrate.engines import kokoro_engine as k

    status = k.model_status()
    voices = list(k.VOICES.values())
    data: dict[str, object] = {
        "model": "Kokoro-82M v1.0 int8 ONNX",
        "model_bytes": k.MODEL_BYTES,
        "model_sha256": k.MODEL_SHA256,
        "model_license": "Apache-2.0 weights, MIT export",
        "installed": status.installed,
        "intact": status.intact,
        "detail": status.detail,
        "voices": [
            {"name": v.name, "kind": v.description, "bytes": k.VOICE_BYTES,
             "default": v.name == k.DEFAULT_VOICE}
            for v in voices
        ],
        "voices_license": "Apache-2.0",
    }
    names = ", ".join(
        f"{v.name} ({v.description}{', default' if v.name == k.DEFAULT_VOICE else ''})"
        for v in voices
    )
    lines = [
        f"kokoro model: Kokoro-82M v1.0 int8 ONNX, {human_bytes(k.MODEL_BYTES)}"
        f" (Apache-2.0 weights, MIT export): {status.detail}",
        f"kokoro voices: {names}; {human_bytes(len(voices) * k.VOICE_BYTES)} vendored"
        " (Apache-2.0)",
    ]
    return data, lines


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
    auto = next(
        (name for name in ("gtts", *OFFLINE_ORDER) if name in by_name and by_name[name].usable),
        None,
    )
    kokoro, kokoro_lines = kokoro_details()
    if as_json:
        data = {
            "engines": [
                {
                    "name": row.name,
                    "usable": row.usable,
                    "detail": row.detail,
                    "max_chars": row.max_chars,
                    "audio_format": row.audio_format,
                    "description": row.description,
                }
                for row in rows
            ],
            "auto": auto,
            "kokoro": kokoro,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        return
    header = ("engine", "usable", "max chars", "format", "now")
    table = [header] + [
        (row.name, "yes" if row.usable else "no", str(row.max_chars), row.audio_format,
         row.detail)
        for row in rows
    ]
    widths = [max(len(line[k]) for line in table) for k in range(len(header) - 1)]
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        click.echo("  ".join([*cells, line[-1]]).rstrip())
    click.echo("")
    for row in rows:
        click.echo(f"{row.name}: {row.description}")
    click.echo("")
    for text in kokoro_lines:
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
