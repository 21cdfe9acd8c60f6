"""The output folder as a site: what to answer to a request h11 has parsed.

:meth:`Site.answer` checks the request (:func:`narrate.serve.rules.request_status`), finds
the file (:func:`narrate.serve.files.open_served`) and decides the reply
(:func:`narrate.serve.rules.file_reply`). ``/`` is the folder's ``index.html`` when there
is one, else the front page (:mod:`narrate.serve.front`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from narrate.serve import rules
from narrate.serve.files import open_served
from narrate.serve.front import Show, front_page


@dataclass
class Site:
    """The files of ``root`` (resolved) and the podcast the front page shows."""

    root: Path
    show: Show = field(default_factory=Show)

    def answer(
        self, method: str, target: str, version: str, fields: Mapping[str, str]
    ) -> tuple[rules.Reply, BinaryIO | None]:
        """The reply to a request parsed by h11 and the file its spans read from (the caller
        closes it)."""
        status = rules.request_status(method, target, version, fields)
        if status:
            return rules.refusal(status, method, close=status in (400, 505)), None
        path = rules.target_path(method, target)
        if method == "OPTIONS":
            return rules.options_reply(), None
        segments = rules.path_segments(path) if path is not None else None
        if segments is None:
            return rules.refusal(404, method), None
        opened = open_served(self.root, segments)
        if opened is None:
            if path == "/":  # the front page, unless the folder has an index.html of its own
                page = front_page(self.root, self.show)
                return rules.text_reply(200, page.html, method, page.headers,
                                        content_type=rules.HTML_TYPE), None
            return rules.refusal(404, method), None
        f, _ = opened
        try:
            state = rules.FileState.of(os.fstat(f.fileno()))
        except OSError:
            f.close()
            return rules.refusal(404, method), None
        reply = rules.file_reply(method, fields, state, rules.mime_type(segments[-1]),
                                 boundary=secrets.token_hex(16))
        if not any(isinstance(part, rules.Span) for part in reply.body):
            f.close()
            return reply, None
        return reply, f
