"""Load and validate the summarization rules (``config/rules.toml``).

The rules say which sections a memo has, what puts an item and a sentence
into each (cue terms and regular expressions with weights, the subject a
section needs named, exclusions), how candidates are told apart from page
furniture, how stories are grouped and weighed, and how the memo is
filled. A mistake in the file is a :class:`ConfigError` naming the file,
the rule and the key; every mistake is reported at once. The file's
tables are the models of :mod:`briefer.rules.schema`; this module
compiles them.

Scoring here is the plain definition: a text's score for a section is the
sum of the weights of the distinct terms and patterns found in it, zero
when an ``exclude`` pattern matches or the section's subject
(``require_any``) is named neither in the text nor in its context.
:mod:`briefer.rules.cues` computes the same scores for many paragraphs
at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..configfile import Loc, describe, read_toml
from ..errors import ConfigError
from .patterns import CASE_UNSAFE, UserPattern, lowered, may_hold
from .patterns import needles as needles_of
from .schema import (
    RETIRED,
    BottomLineRule,
    CandidateRule,
    RulesFile,
    ScoringRule,
    SectionRule,
    StoryRule,
    TopicRule,
)

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Term:
    """One cue term compiled: case-insensitive, and for lower-cased text when possible."""

    weight: float
    pattern: re.Pattern[str]  # case-insensitive
    lower: re.Pattern[str] | None  # for lower-cased text (None: use ``pattern``)
    lead: tuple[str, bool] | None  # first word lower-cased, and whether it may run on


@dataclass(frozen=True, slots=True)
class CompiledSection:
    """A section rule with its cues compiled once.

    ``*_needles`` hold, for each pattern, strings one of which any match
    contains (None: not known), so a text holding none of them is not
    searched.
    """

    rule: SectionRule
    terms: tuple[Term, ...]
    patterns: tuple[tuple[UserPattern, float], ...]
    exclude: tuple[UserPattern, ...]
    require: tuple[UserPattern, ...] = ()
    pattern_needles: tuple[frozenset[str] | None, ...] = ()
    require_needles: tuple[frozenset[str] | None, ...] = ()
    exclude_needles: tuple[frozenset[str] | None, ...] = ()

    @property
    def key(self) -> str:
        return self.rule.key

    def score(self, text: str, met: bool = False) -> float:
        """The section's score of ``text`` (see the module docstring).

        ``met``: the text's context (its item's headline or opening) names
        the section's subject, so ``text`` need not.
        """
        low = lowered(text)
        if self.require and not met and not self.names_subject(text, low):
            return 0.0
        total = self.cue_weight(text, low)
        if total and self.excluded(text, low):
            return 0.0
        return total

    def cue_weight(self, text: str, low: str | None) -> float:
        """Weights of the distinct terms and patterns found in ``text``."""
        total = 0.0
        for term in self.terms:
            if low is not None and term.lower is not None:
                if term.lead is not None and term.lead[0] not in low:
                    continue
                found = term.lower.search(low)
            else:
                found = term.pattern.search(text)
            if found:
                total += term.weight
        for (pattern, weight), needles in zip(self.patterns, self.pattern_needles, strict=True):
            if may_hold(low, needles) and pattern.search(text):
                total += weight
        return total

    def first_cue(self, text: str) -> int | None:
        """Where in ``text`` the first term or pattern of this section matches, if any."""
        starts = [m.start() for t in self.terms if (m := t.pattern.search(text))]
        starts += [m.start() for p, _ in self.patterns if (m := p.search(text))]
        return min(starts) if starts else None

    def excluded(self, text: str, low: str | None) -> bool:
        """True if an ``exclude`` pattern matches ``text``."""
        return any(
            may_hold(low, needles) and p.search(text)
            for p, needles in zip(self.exclude, self.exclude_needles, strict=True)
        )

    def names_subject(self, text: str, low: str | None = None) -> bool:
        """True if ``text`` matches one of ``require_any`` (or there is none)."""
        if not self.require:
            return True
        if low is None:
            low = lowered(text)
        return any(
            may_hold(low, needles) and p.search(text)
            for p, needles in zip(self.require, self.require_needles, strict=True)
        )


@dataclass(frozen=True, slots=True)
class Rules:
    """Validated, compiled rules ready for the engine."""

    path: Path
    candidates: CandidateRule
    topics: TopicRule
    stories: StoryRule
    scoring: ScoringRule
    bottom_line: BottomLineRule
    sections: tuple[CompiledSection, ...]
    dateline: UserPattern
    junk: tuple[UserPattern, ...]
    headline_trim: tuple[UserPattern, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.rule.key for s in self.sections)

    @property
    def shown(self) -> tuple[CompiledSection, ...]:
        """The sections the memo shows, in file order (sinks left out)."""
        return tuple(s for s in self.sections if not s.rule.sink)

    def subjects(self, text: str) -> tuple[bool, ...]:
        """For each section, whether ``text`` names its subject (``require_any``)."""
        low = lowered(text)
        return tuple(s.names_subject(text, low) for s in self.sections)

    def text_scores(self, text: str, met: tuple[bool, ...] | None = None) -> tuple[float, ...]:
        """Each section's score of ``text``; ``met[i]``: the context names section i's subject."""
        if met is None:
            met = (False,) * len(self.sections)
        return tuple(s.score(text, m) for s, m in zip(self.sections, met, strict=True))

    def section_scores(self, text: str, context: str = "") -> tuple[float, ...]:
        """Each section's score of ``text``, with ``context`` (a headline) naming subjects."""
        met = self.subjects(context) if context else None
        return self.text_scores(text, met)

    def is_junk(self, text: str) -> bool:
        """True if ``text`` is page furniture by one of the ``junk`` patterns."""
        return any(p.search(text) for p in self.junk)


def _term_regex(term: str) -> str:
    prefix = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    return r"\b" + body + (r"\w*" if prefix else r"\b")


def _lead(term: str) -> tuple[str, bool] | None:
    """A term's first word, lower-cased, and whether that word may run on (``hostage*``).

    At any place the term matches, the text's word there is this word (or
    starts with it when it runs on). None when that cannot be said.
    """
    low = term.lower()
    if len(low) != len(term) or CASE_UNSAFE.search(term):
        return None
    words = low.rstrip("*").split()
    if not words:
        return None
    first = _TOKEN.match(words[0])
    if first is None:
        return None
    lead = first.group(0)
    # "cease-fire" starts with the whole word "cease"; only a one-word term
    # ending in * ("hostage*") may run on into a longer word.
    runs_on = term.endswith("*") and len(words) == 1 and lead == words[0]
    return lead, runs_on


def _compile_term(term: str, weight: float) -> Term:
    lead = _lead(term)
    lower = re.compile(_term_regex(term.lower())) if lead is not None else None
    return Term(weight, re.compile(_term_regex(term), re.IGNORECASE), lower, lead)


def load_rules(path: Path) -> Rules:
    """Read, validate and compile a rules file; one ConfigError names every mistake."""
    if not path.is_file():
        raise ConfigError(f"{path}: rules file not found")
    return rules_from(read_toml(path, "rules"), path)


def rules_from(raw: dict[str, Any], path: Path) -> Rules:
    """Validate and compile a parsed rules file (``path`` names it in messages).

    One pass: the tables are validated with their patterns compiled (and
    refused when bad or dangerous) as fields, and the checks across
    sections read the file as written, so a file with mistakes of every
    kind is fixed in one round.
    """
    problems: list[str] = []
    try:
        data = RulesFile.model_validate(raw)
    except ValidationError as exc:
        problems = _describe(exc, path, raw)
    problems += _across_sections(path, raw.get("sections"))
    if problems:
        raise ConfigError(*problems)
    return compile_rules(data, path)


def compile_rules(data: RulesFile, path: Path) -> Rules:
    """The engine's rules from a validated file: cue terms compiled, patterns placed."""
    compiled = []
    for rule in data.sections:
        patterns = tuple(rule.patterns.items())
        compiled.append(
            CompiledSection(
                rule=rule,
                terms=tuple(_compile_term(t, w) for t, w in rule.terms.items()),
                patterns=patterns,
                exclude=tuple(rule.exclude),
                require=tuple(rule.require_any),
                pattern_needles=tuple(needles_of(p.pattern) for p, _ in patterns),
                require_needles=tuple(needles_of(p.pattern) for p in rule.require_any),
                exclude_needles=tuple(needles_of(p.pattern) for p in rule.exclude),
            )
        )
    cand = data.candidates
    return Rules(
        path=path,
        candidates=cand,
        topics=data.topics,
        stories=data.stories,
        scoring=data.scoring,
        bottom_line=data.bottom_line,
        sections=tuple(compiled),
        dateline=cand.dateline,
        junk=tuple(cand.junk),
        headline_trim=tuple(cand.headline_trim),
    )


def _across_sections(path: Path, sections: object) -> list[str]:
    """Mistakes that take more than one field to see, read from the file as written."""
    if not isinstance(sections, list):
        return []
    problems = []
    tables = []
    for number, table in enumerate(sections, start=1):
        if not isinstance(table, dict):
            continue
        tables.append(table)
        if not table.get("terms") and not table.get("patterns"):
            key = table.get("key")
            place = f"section '{key}'" if isinstance(key, str) and key else f"section #{number}"
            problems.append(f"{path}: {place}: needs at least one entry in terms or patterns")
    keys = [t["key"] for t in tables if isinstance(t.get("key"), str)]
    doubles = sorted({k for k in keys if keys.count(k) > 1})
    if doubles:
        problems.append(f"{path}: section keys must be unique: {', '.join(doubles)}")
    titles = [t["title"] for t in tables if isinstance(t.get("title"), str)]
    seen = [" ".join(t.casefold().split()) for t in titles]
    same = sorted({t for t, s in zip(titles, seen, strict=True) if seen.count(s) > 1})
    if same:
        problems.append(f"{path}: section titles must be unique: {', '.join(map(repr, same))}")
    if tables and not any(
        t.get("sink") is not True and t.get("requires_topic") is not True for t in tables
    ):
        problems.append(f"{path}: at least one section must be a shown topic section")
    return problems


def _describe(exc: ValidationError, path: Path, raw: dict[str, object]) -> list[str]:
    """A line per mistake, naming a section by its key (or its number when it has none).

    A mistake in a list entry or a table's key (a bad pattern) is named by
    the list or table: the message quotes the entry itself.
    """
    sections = raw.get("sections")

    def where(loc: Loc) -> tuple[str, Loc]:
        place = str(path)
        if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
            index = loc[1]
            entry = sections[index] if isinstance(sections, list) and index < len(sections) else {}
            key = entry.get("key") if isinstance(entry, dict) else None
            place += f": section '{key}'" if key else f": section #{index + 1}"
            loc = loc[2:]
        if "[key]" in loc:
            loc = loc[: loc.index("[key]") - 1]
        while loc and isinstance(loc[-1], int):
            loc = loc[:-1]
        return place, loc

    return describe(exc, RulesFile, where, retired=RETIRED)
