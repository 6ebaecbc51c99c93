"""Load and validate the summarization rules (``config/rules.toml``).

The rules say which sections a memo has, what puts a sentence into each
(cue terms and regular expressions with weights, exclusions), and how
candidates are weighed. A mistake in the file is a :class:`ConfigError`
naming the file, the rule and the key; every mistake is reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import ConfigError
from ..settings import read_toml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionRule(_Strict):
    """One memo section and the cues that put a sentence in it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Short id, e.g. 'gaza'.")
    title: str = Field(min_length=1, description="Heading shown in the memo.")
    limit: int = Field(6, ge=0, description="At most this many bullets.")
    min_score: float = Field(2.0, gt=0, description="Cue weight a sentence needs to belong here.")
    terms: dict[str, float] = Field(
        default_factory=dict,
        description="Cue words or phrases -> weight; case-insensitive, whole words; a "
        "trailing * matches any ending ('hostage*').",
    )
    patterns: dict[str, float] = Field(
        default_factory=dict, description="Regular expressions -> weight (case-insensitive)."
    )
    require_any: list[str] = Field(
        default_factory=list,
        description="Regular expressions of which a sentence must match at least one to "
        "belong here (e.g. the section's subject must be named); empty means no requirement.",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Regular expressions that keep a sentence out."
    )
    requires_topic: bool = Field(
        False,
        description="Count only sentences on a topic: the sentence reaches another "
        "section's min_score, or its article does overall (for cross-cutting sections such "
        "as open questions).",
    )
    takes_precedence: bool = Field(
        False,
        description="A sentence that reaches this section's min_score goes here even when "
        "another section scores higher.",
    )

    @model_validator(mode="after")
    def _has_cues(self) -> SectionRule:
        if not self.terms and not self.patterns:
            raise ValueError("needs at least one entry in terms or patterns")
        return self


class BottomLineRule(_Strict):
    """The bottom-line-up-front block."""

    title: str = Field("Bottom line", description="Heading of the block.")
    min_items: int = Field(2, ge=0, description="At least this many bullets when possible.")
    max_items: int = Field(4, ge=0, description="At most this many bullets.")
    max_age_days: int = Field(
        45, ge=0, description="Only sources this close to the newest source qualify."
    )


class CandidateRule(_Strict):
    """Which sentences may become bullets at all."""

    min_words: int = Field(7, ge=1, description="Shorter sentences are skipped.")
    max_words: int = Field(60, ge=5, description="Longer sentences are skipped.")
    trim_leading: list[str] = Field(
        default_factory=lambda: ["But", "However,", "And", "Yet", "Still,", "Meanwhile,"],
        description="Leading connectives removed from a bullet (the rest is kept verbatim).",
    )
    trim_trailing_attribution: bool = Field(
        False,
        description="Drop a closing attribution clause (', the sources said.', ', according "
        "to ...') when the rest is a full sentence; the rest stays the source's words.",
    )
    unresolved_starts: list[str] = Field(
        default_factory=lambda: ["He", "She", "It", "They", "This", "These", "Those", "His"],
        description="First words that need the sentence before; such sentences are skipped.",
    )


class ScoringRule(_Strict):
    """Weights of the salience score (higher is more salient)."""

    relevance: float = Field(1.0, ge=0, description="Per point of section cue weight.")
    relevance_cap: float = Field(8.0, gt=0, description="Cue weight counted at most.")
    corroboration: float = Field(
        1.5, ge=0, description="Per other source that reports the same point."
    )
    corroboration_similarity: float = Field(
        0.28, gt=0, le=1, description="Content-word overlap that counts as the same point."
    )
    recency: float = Field(3.0, ge=0, description="Weight of source recency (1.0 = newest).")
    recency_half_life_days: float = Field(60.0, gt=0, description="Recency halves this often.")
    lead: float = Field(1.0, ge=0, description="Bonus for an article's opening sentences.")
    specifics: float = Field(
        0.5, ge=0, description="Bonus per distinct figure, date or name in the sentence."
    )
    specifics_cap: int = Field(
        1, ge=0, description="Figures, dates and names counted at most (1: a flat bonus)."
    )
    common_name_share: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Names found in more than this share of the articles (the main actors) "
        "do not count as specifics; 1.0 counts every name.",
    )
    length_penalty: float = Field(
        0.0,
        ge=0,
        le=2,
        description="Sections and the bottom line fill by score / words ** this: 0 ranks by "
        "score alone, 1 by score per word (favours short, dense sentences).",
    )
    limit_words: int = Field(
        0,
        ge=0,
        description="Section limits hold per this many words of budget; a larger or smaller "
        "budget scales them proportionally (0: limits are fixed).",
    )
    vague_penalty: float = Field(
        0.0,
        ge=0,
        description="Subtracted from a sentence that carries no figure, date or name beyond "
        "its cue words.",
    )
    duplicate_similarity: float = Field(
        0.45, gt=0, le=1, description="Overlap above which two sentences say the same thing."
    )


class RulesFile(_Strict):
    """The whole rules file."""

    candidates: CandidateRule = Field(default_factory=CandidateRule)
    scoring: ScoringRule = Field(default_factory=ScoringRule)
    bottom_line: BottomLineRule = Field(default_factory=BottomLineRule)
    sections: list[SectionRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> RulesFile:
        keys = [s.key for s in self.sections]
        doubles = sorted({k for k in keys if keys.count(k) > 1})
        if doubles:
            raise ValueError(f"section keys must be unique: {', '.join(doubles)}")
        return self


@dataclass(frozen=True, slots=True)
class CompiledSection:
    """A section rule with its cues compiled once."""

    rule: SectionRule
    terms: re.Pattern[str] | None
    weights: tuple[float, ...]  # weight of named group t<i>
    patterns: tuple[tuple[re.Pattern[str], float], ...]
    exclude: tuple[re.Pattern[str], ...]
    require: tuple[re.Pattern[str], ...] = ()

    def score(self, text: str, context: str = "") -> float:
        """Sum of the weights of the distinct cues found in ``text``.

        ``require_any`` may be met by ``context`` (the article's headline): a
        sentence of an article headlined about Iran need not repeat "Iran".
        """
        if self.require and not any(
            p.search(text) or (context and p.search(context)) for p in self.require
        ):
            return 0.0
        if any(p.search(text) for p in self.exclude):
            return 0.0
        total = 0.0
        if self.terms is not None:
            seen: set[str] = set()
            for match in self.terms.finditer(text):
                group = match.lastgroup
                if group is not None and group not in seen:
                    seen.add(group)
                    total += self.weights[int(group[1:])]
        for pattern, weight in self.patterns:
            if pattern.search(text):
                total += weight
        return total


@dataclass(frozen=True, slots=True)
class Rules:
    """Validated, compiled rules ready for selection."""

    path: Path
    candidates: CandidateRule
    scoring: ScoringRule
    bottom_line: BottomLineRule
    sections: tuple[CompiledSection, ...]

    def section_scores(
        self, text: str, on_topic: bool = False, context: str = ""
    ) -> tuple[float, ...]:
        """Score of ``text`` for every section, in file order.

        ``on_topic`` says the sentence's article is on a section's topic as a
        whole, which lets ``requires_topic`` sections count it; ``context``
        (the headline) can meet a section's ``require_any``.
        """
        raw = [s.score(text, context) for s in self.sections]
        topical = on_topic or self.is_topical(raw)
        return tuple(
            0.0 if s.rule.requires_topic and not topical else score
            for score, s in zip(raw, self.sections, strict=True)
        )

    def is_topical(self, scores: list[float] | tuple[float, ...]) -> bool:
        """True if some topic section (not ``requires_topic``) reaches its min_score."""
        return any(
            score >= s.rule.min_score
            for score, s in zip(scores, self.sections, strict=True)
            if not s.rule.requires_topic
        )


def _term_regex(term: str) -> str:
    prefix = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    return r"\b" + body + (r"\w*" if prefix else r"\b")


def compile_rules(data: RulesFile, path: Path) -> Rules:
    """Compile every cue; a bad regular expression names its rule."""
    problems: list[str] = []
    compiled = []
    for rule in data.sections:
        where = f"{path}: section '{rule.key}'"
        names = list(rule.terms)
        terms = None
        if names:
            alternation = "|".join(f"(?P<t{i}>{_term_regex(t)})" for i, t in enumerate(names))
            terms = re.compile(alternation, re.IGNORECASE)
        patterns = []
        for source, weight in rule.patterns.items():
            try:
                patterns.append((re.compile(source, re.IGNORECASE), weight))
            except re.error as exc:
                problems.append(f"{where}: patterns: bad regular expression {source!r}: {exc}")
        require = []
        for source in rule.require_any:
            try:
                require.append(re.compile(source, re.IGNORECASE))
            except re.error as exc:
                problems.append(f"{where}: require_any: bad regular expression {source!r}: {exc}")
        exclude = []
        for source in rule.exclude:
            try:
                exclude.append(re.compile(source, re.IGNORECASE))
            except re.error as exc:
                problems.append(f"{where}: exclude: bad regular expression {source!r}: {exc}")
        compiled.append(
            CompiledSection(
                rule=rule,
                terms=terms,
                weights=tuple(rule.terms[n] for n in names),
                patterns=tuple(patterns),
                exclude=tuple(exclude),
                require=tuple(require),
            )
        )
    if problems:
        raise ConfigError(*problems)
    return Rules(
        path=path,
        candidates=data.candidates,
        scoring=data.scoring,
        bottom_line=data.bottom_line,
        sections=tuple(compiled),
    )


def load_rules(path: Path) -> Rules:
    """Read, validate and compile a rules file."""
    if not path.is_file():
        raise ConfigError(f"{path}: rules file not found")
    raw = read_toml(path, "rules")
    try:
        data = RulesFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(*_describe(exc, path, raw)) from None
    return compile_rules(data, path)


def _describe(exc: ValidationError, path: Path, raw: dict[str, object]) -> list[str]:
    lines = []
    sections = raw.get("sections")
    for error in exc.errors():
        loc = list(error["loc"])
        where = str(path)
        if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
            index = loc[1]
            key = None
            if isinstance(sections, list) and index < len(sections):
                entry = sections[index]
                key = entry.get("key") if isinstance(entry, dict) else None
            where += f": section '{key}'" if key else f": section #{index + 1}"
            loc = loc[2:]
        name = ".".join(str(p) for p in loc) or "(rule)"
        message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
        lines.append(f"{where}: {name}: {message}")
    return lines
