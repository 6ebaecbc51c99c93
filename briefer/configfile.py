"""What the settings file and the rules file share: reading, strictness, messages.

Both files are TOML read by :func:`read_toml`, validated by models built on
:class:`Strict` (unknown keys are mistakes, values are frozen, no NaN or
infinity), and their mistakes become one line each (:func:`describe`): an
unknown key is answered with the closest known one (:func:`did_you_mean`).
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from .errors import ConfigError


class Strict(BaseModel):
    """A table of a settings or rules file: unknown keys refused, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def read_toml(path: Path, what: str = "config") -> dict[str, Any]:
    """Parse a TOML file; syntax errors become one ConfigError line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
            f"save the {what} file as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror}") from None


Loc = tuple[int | str, ...]

# Keys whose values are never echoed in a message.
_SECRET = ("password", "secret", "token")


def _nothing_hidden(name: str, field: FieldInfo) -> bool:
    return False


def describe(
    exc: ValidationError,
    model: type[BaseModel],
    where: Callable[[Loc], tuple[str, Loc]],
    *,
    retired: Mapping[str, str] | None = None,
    hidden: Callable[[str, FieldInfo], bool] = _nothing_hidden,
) -> list[str]:
    """One line per mistake: the place, the key, and what is wrong with it.

    ``where(loc)`` splits an error's location into the place it names (a
    file, ``"rules.toml: section 'gaza'"``, a command-line flag) and the
    key path shown after it (empty: the place alone). An unknown key names
    the closest known one (keys for which ``hidden`` is true are never
    offered), or what replaced it when ``retired`` lists it; a short value
    is echoed ("(got 10)") unless its key holds a secret.
    """
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        place, key_loc = where(loc)
        key = ".".join(str(p) for p in key_loc)
        if error["type"] == "extra_forbidden":
            full = ".".join(str(p) for p in loc)
            if retired and full in retired:
                message = f"no longer used: {retired[full]}"
            else:
                message = "unknown key" + did_you_mean(model, loc, hidden)
        else:
            message = error["msg"].removeprefix("Value error, ")
            value = error.get("input")
            shown = repr(value)
            secret = any(s in ".".join(map(str, loc)).lower() for s in _SECRET)
            if (
                not secret
                and isinstance(value, str | int | float)
                and len(str(value)) < 80
                and shown not in message
            ):
                message += f" (got {shown})"
        lines.append(": ".join(part for part in (place, key, message) if part))
    return lines


def did_you_mean(
    model: type[BaseModel],
    loc: Sequence[int | str],
    hidden: Callable[[str, FieldInfo], bool] = _nothing_hidden,
) -> str:
    """ " (did you mean 'x'?)" for the unknown key at ``loc`` of ``model``, or ""."""
    known = _keys(model, loc[:-1], hidden)
    close = difflib.get_close_matches(str(loc[-1]), known, n=1) if loc else []
    return f" (did you mean '{close[0]}'?)" if close else ""


def _keys(
    model: type[BaseModel], loc: Sequence[int | str], hidden: Callable[[str, FieldInfo], bool]
) -> list[str]:
    """The keys the (nested) table at ``loc`` accepts; none when ``loc`` leads nowhere."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return []
        model = inner
    return [
        field.alias or name for name, field in model.model_fields.items() if not hidden(name, field)
    ]


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model an annotation holds (``MemoSettings``, ``tuple[FeedSettings, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
