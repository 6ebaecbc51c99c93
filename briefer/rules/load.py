"""Load, validate and compile the summarization rules (``config/rules.toml``).

The rules say which sections a memo has, what puts an item and a sentence
into each (cue terms and regular expressions with weights, the subject a
section needs named, exclusions), how candidates are told apart from page
furniture, how stories are grouped and weighed, and how the memo is
filled. A mistake in the file is a :class:`ConfigError` naming the file,
the rule and the key; every mistake is reported at once. The file's
tables are the models of :mod:`briefer.rules.schema`; texts are scored
by :class:`~briefer.rules.cues.CueScanner`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..configfile import Loc, describe, read_toml
from ..errors import ConfigError
from .cues import CompiledSection, CueScanner, Term, compile_term
from .fields import RegexRule
from .needles import NeedleIndex, needles
from .patterns import UserPattern, lowered
from .schema import (
    RETIRED,
    BottomLineRule,
    CandidateRule,
    KindsRule,
    NewsValueRule,
    QuestionRule,
    RulesFile,
    ScoringRule,
    StoryRule,
    TopicRule,
)


@dataclass(frozen=True, slots=True)
class CompiledKind:
    """One kind rule with its patterns placed."""

    kind: str
    link: tuple[UserPattern, ...]
    headline: tuple[UserPattern, ...]
    opening: tuple[UserPattern, ...]
    category: tuple[UserPattern, ...]
    _indexes: dict[str, NeedleIndex] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = ("link", "headline", "opening", "category")
        indexes = {part: NeedleIndex(getattr(self, part)) for part in parts}
        object.__setattr__(self, "_indexes", indexes)

    def first_match(self, part: str, text: str) -> UserPattern | None:
        """The first of this rule's ``part`` patterns that matches ``text``, if any."""
        found = self._indexes[part].first(text)
        return None if found is None else getattr(self, part)[found[0]]


@dataclass(frozen=True, slots=True)
class NewsCues:
    """The news-value cue terms compiled: each method weighs those found in a text."""

    development_terms: tuple[Term, ...]
    actor_terms: tuple[Term, ...]
    soft_terms: tuple[Term, ...]

    def development(self, text: str) -> float:
        return _terms_weight(self.development_terms, text)

    def actors(self, text: str) -> float:
        return _terms_weight(self.actor_terms, text)

    def soft(self, text: str) -> float:
        return _terms_weight(self.soft_terms, text)


def _terms_weight(terms: tuple[Term, ...], text: str) -> float:
    return sum(term.weight for term in terms if term.pattern.search(text))


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
    kinds: KindsRule
    kind_rules: tuple[CompiledKind, ...]
    news_value: NewsValueRule
    news_cues: NewsCues
    questions: QuestionRule
    figures: tuple[tuple[str, UserPattern], ...]  # (label, pattern) of [[questions.figure]]
    pending: tuple[UserPattern, ...]  # [questions] pending
    running_total: tuple[UserPattern, ...]  # [questions] running_total
    scanner: CueScanner = field(init=False, repr=False, compare=False)
    _junk_index: NeedleIndex = field(init=False, repr=False, compare=False)
    _pending_index: NeedleIndex = field(init=False, repr=False, compare=False)
    _figure_index: NeedleIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scanner", CueScanner(self))
        object.__setattr__(self, "_junk_index", NeedleIndex(self.junk))
        object.__setattr__(self, "_pending_index", NeedleIndex(self.pending))
        object.__setattr__(
            self, "_figure_index", NeedleIndex(tuple(p for _, p in self.figures))
        )

    @property
    def questions_section(self) -> int | None:
        """The index of the section that shows open questions (None: no such section)."""
        return next(
            (k for k, s in enumerate(self.sections) if s.rule.key == self.questions.section),
            None,
        )

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.rule.key for s in self.sections)

    @property
    def topical(self) -> tuple[int, ...]:
        """The sections a text can be on the memo's topics by (not a sink, not questions)."""
        return tuple(
            k for k, s in enumerate(self.sections) if not s.rule.sink and not s.rule.requires_topic
        )

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
        return self.scanner.scores([text], met)[0]

    def section_scores(self, text: str, context: str = "") -> tuple[float, ...]:
        """Each section's score of ``text``, with ``context`` (a headline) naming subjects."""
        met = self.subjects(context) if context else None
        return self.text_scores(text, met)

    def figure_patterns(self, text: str) -> list[tuple[str, UserPattern]]:
        """The ``[[questions.figure]]`` (label, pattern) pairs that can match ``text``, in order."""
        return [self.figures[i] for i in self._figure_index.worth_trying(text)]

    def first_pending(self, text: str) -> int | None:
        """Where in ``text`` the first of the ``pending`` patterns (in order) matches, if any."""
        found = self._pending_index.first(text)
        return None if found is None else found[1].start()

    def is_junk(self, text: str) -> bool:
        """True if ``text`` is page furniture by one of the ``junk`` patterns."""
        return self._junk_index.first(text) is not None


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
        data = RulesFile.model_validate(raw, context={"timeout": _timeout(raw)})
    except ValidationError as exc:
        problems = _describe(exc, path, raw)
    problems += _across_sections(path, raw.get("sections"))
    if problems:
        raise ConfigError(*problems)
    return compile_rules(data, path)


def compile_rules(data: RulesFile, path: Path) -> Rules:
    """The engine's rules from a validated file: cue terms compiled, patterns placed."""
    timeout = data.regex.timeout

    def placed(patterns: Iterable[UserPattern], where: str) -> tuple[UserPattern, ...]:
        return tuple(p.placed(f"{path}: {where}", timeout) for p in patterns)

    compiled = []
    for rule in data.sections:
        where = f"section '{rule.key}'"
        found = placed(rule.patterns, f"{where}: patterns")
        require = placed(rule.require_any, f"{where}: require_any")
        exclude = placed(rule.exclude, f"{where}: exclude")
        compiled.append(
            CompiledSection(
                rule=rule,
                terms=tuple(compile_term(t, w) for t, w in rule.terms.items()),
                patterns=tuple(zip(found, rule.patterns.values(), strict=True)),
                exclude=exclude,
                require=require,
                pattern_needles=tuple(needles(p.pattern) for p in found),
                require_needles=tuple(needles(p.pattern) for p in require),
                exclude_needles=tuple(needles(p.pattern) for p in exclude),
            )
        )
    cand = data.candidates
    value = data.news_value
    return Rules(
        path=path,
        candidates=cand,
        topics=data.topics,
        stories=data.stories,
        scoring=data.scoring,
        bottom_line=data.bottom_line,
        sections=tuple(compiled),
        dateline=placed([cand.dateline], "candidates.dateline")[0],
        junk=placed(cand.junk, "candidates.junk"),
        headline_trim=placed(cand.headline_trim, "candidates.headline_trim"),
        kinds=data.kinds,
        kind_rules=tuple(
            CompiledKind(
                rule.kind,
                *(
                    placed(getattr(rule, part), f"kinds.rule {n} ({rule.kind}): {part}")
                    for part in ("link", "headline", "opening", "category")
                ),
            )
            for n, rule in enumerate(data.kinds.rule, start=1)
        ),
        news_value=value,
        news_cues=NewsCues(
            *(
                tuple(compile_term(t, w) for t, w in terms.items())
                for terms in (value.development_terms, value.actor_terms, value.soft_terms)
            )
        ),
        questions=data.questions,
        figures=tuple(
            (figure.label, placed([figure.pattern], f"questions.figure {n}: pattern")[0])
            for n, figure in enumerate(data.questions.figure, start=1)
        ),
        pending=placed(data.questions.pending, "questions.pending"),
        running_total=placed(data.questions.running_total, "questions.running_total"),
    )


def _timeout(raw: dict[str, Any]) -> float:
    """The file's [regex] timeout, read first: the patterns are probed with it.

    A wrong value is reported with the other mistakes; the default stands
    in for it meanwhile.
    """
    table = raw.get("regex")
    try:
        return RegexRule.model_validate(table if table is not None else {}).timeout
    except ValidationError:
        return RegexRule().timeout


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
