"""The rules file's pattern fields, and the [regex] table that bounds their searches.

A user's regular expression is compiled (and refused when bad or
dangerous) as the file is validated, so its mistakes are reported with all
others; the loader passes the file's ``[regex] timeout`` in the validation
context.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PlainValidator, ValidationInfo

from ..configfile import Strict
from .patterns import CASED, FLAGS, UserPattern, compile_pattern


class RegexRule(Strict):
    """How long a search of a user pattern may take."""

    timeout: float = Field(
        0.3,
        gt=0,
        le=60,
        description="Seconds (of CPU time) one search of a pattern (patterns, require_any, "
        "exclude, and the [candidates] patterns) may take on one text; a search reads at "
        "most the first 1,000 characters. A search that takes longer counts as no match, "
        "with one warning per pattern; a pattern that takes longer on a hostile line built "
        "from its own parts is refused when the file is loaded.",
    )


def _compiled(flags: int) -> PlainValidator:
    def validate(value: object, info: ValidationInfo) -> UserPattern:
        if not isinstance(value, str):
            raise ValueError("Input should be a valid string")
        context = info.context or {}
        return compile_pattern(value, context.get("timeout", RegexRule().timeout), flags)

    return PlainValidator(validate)


Pattern = Annotated[UserPattern, _compiled(FLAGS)]
CasedPattern = Annotated[UserPattern, _compiled(CASED)]
