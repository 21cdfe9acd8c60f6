"""Options shared by the commands that read an article, and the engines' own options.

The engines' options are made from their specs (:mod:`narrate.engines.spec`): ``--engine``
takes every registered engine, ``--voice`` every engine's voices, ``--speed`` the speeds
they allow, and each engine's :class:`~narrate.engines.spec.Option` is a flag of its own.
Nothing here names an engine. The registry is read when click first needs a command's
parameters (that command's ``--help``, or running it), never for ``narrate --help``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from narrate.config import ConfigError, Table, read_table
from narrate.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

FORMATS = ("txt", "md", "html", "json")


def out_dir_option(help: str) -> Callable[[F], F]:
    """``--out DIR`` (default ``audio``), the folder episodes live in."""
    option: Callable[[F], F] = click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("audio"),
        show_default=True,
        help=help,
    )
    return option


#: ``[FOLDER]``, the output folder a command reads (default ``audio``).
folder_argument = click.argument(
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("audio"),
    required=False,
)


def _stacked(command: F, options: Sequence[Callable[[Any], Any]]) -> F:
    """``command`` with ``options``, shown in ``--help`` in the order given."""
    for option in reversed(options):
        command = option(command)
    return command


class EngineName(click.Choice):
    """``--engine``'s type: ``auto`` or a registered engine, read from the registry when
    click first asks (help, completion, conversion)."""

    name = "engine"

    def __init__(self) -> None:  # no choices yet: see the property
        self.case_sensitive = True

    @property
    def choices(self) -> Sequence[str]:  # type: ignore[override]
        from narrate.engines.registry import engine_names

        return engine_names()


def article_options(command: F) -> F:
    """--engine, --lexicon, --format and --timeout, as every article command takes them."""
    options = [
        click.option(
            "--engine",
            type=EngineName(),
            default="auto",
            show_default=True,
            help="Speech engine (its limits shape the chunks).",
        ),
        click.option(
            "--lexicon",
            type=click.Path(dir_okay=False, path_type=Path),
            help="TSV of word and how to say it, for names and brands.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            help="Article format (default: from the extension or the content).",
        ),
        click.option(
            "--timeout",
            type=float,
            default=15.0,
            show_default=True,
            help="Seconds to wait for an article URL.",
        ),
    ]
    return _stacked(command, options)


# -- the engines' own options --------------------------------------------------------------


def engine_params(taken: set[str]) -> list[click.Option]:
    """``--voice``, ``--speed`` and every engine's options, from the registered specs, with
    the spec's defaults (``--voice`` not given is None: each engine's own default voice, see
    ``EngineSpec.settings``). An option whose name a command already uses (in ``taken``) is
    left out with a warning."""
    from narrate.engines.registry import registered
    from narrate.engines.spec import SPEED, VOICE

    specs = list(registered().values())
    params: list[click.Option] = []
    voiced = [s for s in specs if s.voices]
    if voiced:
        names = list(dict.fromkeys(v.name for s in voiced for v in s.voices))
        said = "; ".join(
            f"{s.name}: " + ", ".join(
                f"{v.name}" + (f" ({v.description})" if v.description else "")
                for v in s.voices)
            + f" [default: {s.default_voice}]"
            for s in voiced
        )
        params.append(click.Option(["--voice", VOICE], type=click.Choice(names),
                                   help=f"Voice of the engine. {said}."))
    paced = [s for s in specs if s.speed is not None]
    if paced:
        low = min(s.speed[0] for s in paced if s.speed)
        high = max(s.speed[1] for s in paced if s.speed)
        ranges = "; ".join(f"{s.name} {s.speed[0]:g}-{s.speed[1]:g}" for s in paced if s.speed)
        params.append(click.Option(
            ["--speed", SPEED], type=click.FloatRange(low, high), default=1.0,
            show_default=True, help=f"Speaking speed, 1 being the voice's own pace ({ranges})."))
    seen = set(taken) | {VOICE, SPEED}
    for spec in specs:
        for option in spec.options:
            if option.name in seen:
                if option.name in taken:
                    log.warning("engine %s's option %s is left out: narrate has an option "
                                "of that name", spec.name, option.flag)
                continue
            seen.add(option.name)
            params.append(_click_option(option))
    return params


def _click_option(option: Any) -> click.Option:
    """The command-line flag of an engine's :class:`~narrate.engines.spec.Option`."""
    default = option.default
    if isinstance(default, bool):
        return click.Option([option.flag, option.name], is_flag=True, default=default,
                            help=option.help)
    kind: click.ParamType
    if isinstance(default, int) and option.range:
        kind = click.IntRange(int(option.range[0]), int(option.range[1]))
    elif isinstance(default, float) and option.range:
        kind = click.FloatRange(*option.range)
    elif option.choices:
        kind = click.Choice(option.choices)
    else:
        kind = click.types.convert_type(type(default))
    return click.Option([option.flag, option.name], type=kind, default=default,
                        show_default=True, help=option.help)


class EngineCommand(click.Command):
    """A command that takes the engines' options (:func:`engine_params`), added when click
    first asks for its parameters; its callback gets them as keywords. A setting given for
    an engine that cannot honour it is a usage error (:func:`check_engine_settings`)."""

    _engine_params_added = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self._engine_params_added:
            self._engine_params_added = True
            taken = {p.name for p in self.params if p.name}
            self.params.extend(engine_params(taken))
        return super().get_params(ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        self.apply_defaults(ctx)
        check_engine_settings(ctx)
        return rest

    def apply_defaults(self, ctx: click.Context) -> None:
        """Defaults from elsewhere than the command line (see :class:`SettingsCommand`)."""


#: Where a value came from that the user chose: the command line or the environment.
_GIVEN = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def check_engine_settings(ctx: click.Context) -> None:
    """Refuse ``--voice``, ``--speed`` or an engine's own option that the chosen engine
    does not take (``--voice hm_psi --engine espeak``): one usage error naming the engine
    and what it takes, its voices first. With ``--engine auto`` a setting is fine when
    one of the engines auto may pick takes it. A setting from narrate.toml's table is
    checked only against the table's engine (a command-line ``--engine`` sets the table's
    engine aside, and the settings meant for it)."""
    from narrate.engines.registry import candidates, registered

    engine = ctx.params.get("engine")
    if not isinstance(engine, str):
        return
    specs = candidates(engine)
    engine_given = ctx.get_parameter_source("engine") in _GIVEN
    settings = {name for spec in registered().values() for name in spec.takes}
    for name in sorted(settings):
        source = ctx.get_parameter_source(name)
        if source is None or source is ParameterSource.DEFAULT:
            continue
        if source is ParameterSource.DEFAULT_MAP and engine_given:
            continue
        if any(name in spec.takes for spec in specs):
            continue
        raise UsageError(_not_taken(name, ctx.params.get(name), engine, specs, source))


def _not_taken(name: str, value: object, engine: str, specs: Sequence[Any],
               source: ParameterSource | None) -> str:
    """``--voice hm_psi: engine espeak does not take it; espeak takes --rate, --pitch
    (hm_psi is a voice of kokoro: --engine kokoro)``."""
    from narrate.engines.registry import registered
    from narrate.engines.spec import SPEED, VOICE

    flag = "--" + name.replace("_", "-")
    given = f"{flag} {value}" if not isinstance(value, bool) else flag
    if source is ParameterSource.DEFAULT_MAP:
        given += " (from narrate.toml)"
    who = (f"engine {engine} does not take it" if engine != "auto"
           else "none of the engines auto may pick takes it")
    said = []
    for spec in specs:
        takes = []
        if spec.voices:
            takes.append(f"--voice {'/'.join(v.name for v in spec.voices)}")
        if spec.speed is not None:
            takes.append(f"--speed {spec.speed[0]:g}-{spec.speed[1]:g}")
        takes += [option.flag for option in spec.options]
        said.append(f"{spec.name} takes {', '.join(takes) if takes else 'no settings'}")
    hint = ""
    owners = [s.name for s in registered().values() if name in s.takes]
    if name == VOICE:
        owners = [s.name for s in registered().values()
                  if any(v.name == value for v in s.voices)]
        if owners:
            hint = f" ({value} is a voice of {' and '.join(owners)}: --engine {owners[0]})"
    elif owners and name != SPEED:
        hint = f" ({flag} is for {' and '.join(owners)})"
    return f"{given}: {who}; {'; '.join(said)}{hint}"


# -- defaults from narrate.toml ------------------------------------------------------------

#: Options no table sets: the settings file itself, and what [podcast] already holds.
NOT_IN_TABLES = frozenset({"config", "base-url", "help"})


def apply_table(ctx: click.Context, command: click.Command, table: Table | None) -> None:
    """Give each option of ``command`` that the command line did not set (nor the
    environment) its value in ``table`` (keys: the options' long names, ``cache-dir`` or
    ``cache_dir``), checked as the command line checks it; paths relative to the table's
    file. An unknown key or a wrong value is one :class:`~narrate.config.ConfigError`."""
    if table is None:
        return
    options = {
        opt[2:]: param
        for param in command.get_params(ctx) if isinstance(param, click.Option)
        for opt in param.opts if opt.startswith("--") and opt[2:] not in NOT_IN_TABLES
    }
    for raw, value in table.values.items():
        key = raw.replace("_", "-")
        where = f"{table.source}: {table.name}.{raw}"
        param = options.get(key)
        if param is None or param.name is None:
            known = ", ".join(sorted(options))
            raise ConfigError(f"{where}: narrate {command.name} has no option --{key}. "
                              f"Probable cause: a typo; the keys are: {known}")
        if ctx.get_parameter_source(param.name) is not ParameterSource.DEFAULT:
            continue  # given on the command line (or in the environment): it wins
        if param.multiple and isinstance(value, str):
            value = [value]
        if isinstance(param.type, click.Path):
            value = ([_beside(table, v) for v in value] if isinstance(value, list)
                     else _beside(table, value))
        try:
            ctx.params[param.name] = param.type_cast_value(ctx, value)
        except click.BadParameter as e:
            raise ConfigError(f"{where}: {e.format_message()}") from e
        ctx.set_parameter_source(param.name, ParameterSource.DEFAULT_MAP)


def _beside(table: Table, value: object) -> object:
    """A relative path in ``table`` as a path beside its file."""
    if not isinstance(value, str):
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else table.folder / path)


class SettingsCommand(EngineCommand):
    """An :class:`EngineCommand` whose options also take defaults from its own table of
    ``narrate.toml`` (``[build]`` for ``narrate build``): the file ``--config`` names, else
    ``./narrate.toml``. A flag given on the command line overrides the table."""

    def apply_defaults(self, ctx: click.Context) -> None:
        if self.name:
            apply_table(ctx, self, read_table(self.name, ctx.params.get("config_path")))
