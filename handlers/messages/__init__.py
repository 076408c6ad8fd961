"""Every text a partner or an agent reads on a ticket, rendered from templates in one place.

Templates live in ``handlers/messages/templates/`` as Jinja2 files, German by default.
File names: ``<process>_<what>.<lang>.j2`` (e.g. ``relocation_note.de.j2``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

__all__ = ["TEMPLATE_DIR", "render"]

TEMPLATE_DIR = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # noqa: S701 - plain-text ticket comments, never HTML
    )
    from handlers.messages import filters

    env.filters.update(filters.FILTERS)
    return env


def render(name: str, *, lang: str = "de", **context: Any) -> str:
    """Render ``templates/<name>.<lang>.j2`` with ``context``; strips surrounding blank lines."""
    return _env().get_template(f"{name}.{lang}.j2").render(**context).strip() + "\n"
