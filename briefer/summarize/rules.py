"""Load and validate the summarization rules (``config/rules.toml``).

The rules say which sections a memo has, what puts an item and a sentence
into each (cue terms and regular expressions with weights, the subject a
section needs named, exclusions), how candidates are told apart from page
furniture, how stories are grouped and weighed, and how the memo is
filled. A mistake in the file is a :class:`ConfigError` naming the file,
the rule and the key; every mistake is reported at once.

Scoring here is the plain definition: a text's score for a section is the
sum of the weights of the distinct terms and patterns found in it, zero
when an ``exclude`` pattern matches or the section's subject
(``require_any``) is named neither in the text nor in its context.
:mod:`briefer.summarize.cues` computes the same scores for many paragraphs
at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from re import _casefix, _parser  # type: ignore[attr-defined]

from pydantic import Field, ValidationError, model_validator

from ..configfile import Strict, did_you_mean, read_toml
from ..errors import ConfigError
from .patterns import UserPattern, danger


class SectionRule(Strict):
    """One memo section and the cues that put an item or a sentence in it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Short id, e.g. 'gaza'.")
    title: str = Field(min_length=1, description="Heading shown in the memo.")
    limit: int = Field(
        0, ge=0, description="At most this many bullets (0: no limit; the budget decides)."
    )
    min_score: float = Field(
        2.0, gt=0, description="Cue weight a sentence (or headline) needs to belong here."
    )
    terms: dict[str, float] = Field(
        default_factory=dict,
        description="Cue words or phrases -> weight; case-insensitive, whole words; a "
        "trailing * matches any ending ('hostage*'). Each distinct term counts once per text.",
    )
    patterns: dict[str, float] = Field(
        default_factory=dict, description="Regular expressions -> weight (case-insensitive)."
    )
    require_any: list[str] = Field(
        default_factory=list,
        description="The section's subject: regular expressions of which a text, or the "
        "headline or opening of its item, must match one for its cues to count here. Name "
        "the subject (a place, an actor), not a cue: a cue word must not open its own gate.",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Regular expressions that keep a text out."
    )
    requires_topic: bool = Field(
        False,
        description="Count only texts of items that are on another (non-sink) section's "
        "topic (for cross-cutting sections such as open questions).",
    )
    takes_precedence: bool = Field(
        False,
        description="A sentence that reaches this section's min_score goes here even when "
        "another section scores higher.",
    )
    sink: bool = Field(
        False,
        description="Not shown in the memo: an item whose topic this is more than any "
        "shown section's is left out (news that shares cue words with a section: the "
        "West Bank, Lebanon, a ceasefire elsewhere).",
    )

    @model_validator(mode="after")
    def _has_cues(self) -> SectionRule:
        if not self.terms and not self.patterns:
            raise ValueError("needs at least one entry in terms or patterns")
        return self


class BottomLineRule(Strict):
    """The bottom-line-up-front block: the heaviest current stories, one line each."""

    title: str = Field("Bottom line", description="Heading of the block.")
    min_items: int = Field(
        3,
        ge=0,
        description="When fewer current stories qualify, older ones fill up to this many.",
    )
    max_items: int = Field(4, ge=0, description="At most this many lines.")
    current_days: float = Field(
        2.0,
        ge=0,
        description="A story is current when its newest source is at most this many days "
        "older than the newest source of the edition.",
    )
    max_per_source: int = Field(
        2, ge=1, description="At most this many lines worded by one source."
    )


class CandidateRule(Strict):
    """Which texts may become bullets at all, and what is trimmed from them."""

    min_words: int = Field(7, ge=1, description="Shorter sentences are skipped.")
    headline_min_words: int = Field(5, ge=1, description="Shorter headlines are skipped.")
    max_words: int = Field(60, ge=5, description="Longer sentences are skipped.")
    max_article_chars: int = Field(
        60_000,
        ge=1_000,
        description="Only this many characters of an article's body are read for bullets "
        "(news articles are far shorter; the cap bounds the work on any input).",
    )
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
        description="First words that need the sentence before; such a sentence is "
        "skipped, or joined to that sentence (see join_previous).",
    )
    standalone_starts: list[str] = Field(
        default_factory=lambda: ["It is unclear", "It remains unclear", "It was unclear"],
        description="Openings that stand alone although they begin with an "
        "unresolved_starts word ('It is unclear whether ...').",
    )
    headlines: bool = Field(
        True,
        description="An article's headline, as printed in its text or feed item, may be a "
        "bullet when its story offers no sentence, and a bottom-line line.",
    )
    join_previous: bool = Field(
        True,
        description="A sentence opening with an unresolved_starts word may become a bullet "
        "together with the sentence just before it (same or previous paragraph), when the "
        "two read as one bullet within max_words.",
    )
    dateline: str = Field(
        r"^[A-Z][A-Z'’.]{1,20}(?:[ -][A-Z][A-Z'’.]{1,20}){0,3}"
        r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \([A-Za-z.]{2,12}\))? ?(?:—|–|-{1,2}) ?",
        description="A dateline opening a paragraph ('JERUSALEM —', 'TEHRAN (AP) —', "
        "'GAZA CITY, Jan 7 (Reuters) -'): removed, the rest stays verbatim. Case-sensitive.",
    )
    junk: list[str] = Field(
        default_factory=list,
        description="Regular expressions (case-insensitive) for page furniture: a "
        "paragraph, sentence or headline matching one is never a bullet (captions, "
        "'Watch:', 'Related coverage:', podcast promos, 'Comments').",
    )
    headline_trim: list[str] = Field(
        default_factory=list,
        description="Regular expressions removed from a headline before it is used "
        "('Live Updates: ', ' – live').",
    )
    digest_separators: list[str] = Field(
        default_factory=lambda: [" * ", " • "],
        description="A paragraph joining several items with one of these (a live blog's "
        "digest line) is split into its items.",
    )


class TopicRule(Strict):
    """When an item (an article or feed item) as a whole is on a section's topic."""

    headline_weight: float = Field(
        2.0, ge=0, description="The headline's cues count this many times."
    )
    headline_factor: float = Field(
        1.5,
        gt=0,
        description="A headline reaching this times a section's min_score makes its item "
        "on the topic even when the body (a feed summary cut short) has no cue of its own.",
    )
    item_factor: float = Field(
        2.0,
        gt=0,
        description="An item is on a section's topic when its headline reaches the "
        "section's min_score, or its cue weight (headline and paragraphs) reaches this "
        "times min_score ...",
    )
    item_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description="... with cues for the section in at least this share of its paragraphs.",
    )
    point_factor: float = Field(
        2.0,
        gt=0,
        description="In an item on another topic, a paragraph scoring this times a "
        "section's min_score is still a point for that section (not a passing mention).",
    )
    subject_paragraphs: int = Field(
        1,
        ge=0,
        description="A section's subject (require_any) named in the headline or in this "
        "many opening paragraphs counts for every paragraph of the item.",
    )
    single_story_sentences: int = Field(
        4,
        ge=1,
        description="A feed item's summary tells one story, and so does an article with "
        "at most this many sentences: one bullet (and details). Longer articles give one "
        "per point.",
    )


class StoryRule(Strict):
    """How points from all sources are grouped into stories."""

    similarity: float = Field(
        0.15,
        gt=0,
        le=1,
        description="Cosine similarity of content words (weighted by rarity) at which a "
        "single-story item joins a story.",
    )
    sentence_similarity: float = Field(
        0.35,
        gt=0,
        le=1,
        description="The same, when one side is a sentence of a longer article (a "
        "sentence is one point among many, so it must be closer).",
    )
    headline_weight: float = Field(
        2.0, ge=0, description="A headline's words count this many times in the comparison."
    )
    leader_similarity: float = Field(
        0.08,
        ge=0,
        le=1,
        description="A point joins a story only if it is also this similar to the story's "
        "first (heaviest) point: a story does not drift into its neighbours.",
    )
    merge_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Once grouped, two stories of a section this similar (all their words "
        "together) are one story (0: off): a second, looser pass against one story told "
        "twice.",
    )
    days: float = Field(
        2.0, ge=0, description="Points whose sources are further apart are other stories."
    )
    max_citations: int = Field(
        8, ge=1, description="A bullet cites at most this many sources (newest first)."
    )
    rare_words: int = Field(
        8, ge=1, description="A point looks for its story through its rarest words only."
    )
    common_words: int = Field(
        64,
        ge=1,
        description="A word found in more points than this finds no story (too common).",
    )


class ScoringRule(Strict):
    """Weights of a story's weight (higher is heavier)."""

    cue: float = Field(
        3.0, ge=0, description="Per multiple of its section's min_score in the story's cues."
    )
    cue_cap: float = Field(3.0, gt=0, description="Multiples of min_score counted at most.")
    publishers: float = Field(
        1.5, ge=0, description="Per publisher beyond the first that tells the story."
    )
    recency: float = Field(
        3.0, ge=0, description="Weight of recency (1.0 = as new as the newest source)."
    )
    recency_half_life_days: float = Field(14.0, gt=0, description="Recency halves this often.")
    lead: float = Field(
        1.0, ge=0, description="Bonus for a story an item opens with (its headline or lead)."
    )
    specifics: float = Field(
        0.5, ge=0, description="Per distinct figure, date or name in the story's bullet."
    )
    specifics_cap: int = Field(4, ge=0, description="Figures, dates and names counted at most.")
    common_name_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Names found in more than this share of the items that give a "
        "candidate (the main actors) do not count as specifics; 1.0 counts every name.",
    )
    vague_penalty: float = Field(
        0.0,
        ge=0,
        description="Subtracted from a story whose bullet carries no figure, date or name "
        "beyond its cue words.",
    )
    centrality: float = Field(
        4.0,
        ge=0,
        description="Choosing a story's bullet: weight of how much of what the story's "
        "texts share a candidate tells (0 to 1), so the news beats background.",
    )
    headline_penalty: float = Field(
        1.0,
        ge=0,
        description="Choosing a story's bullet: a headline counts this much less than a "
        "sentence (headlines are terse); it wins where it says more.",
    )
    max_details: int = Field(
        2,
        ge=0,
        description="When every story has its bullet and words are left, a story may show "
        "up to this many details under it: other sentences of the story, heaviest story "
        "first, each adding a figure or name and words the lines above it do not hold.",
    )
    detail_novelty: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of a detail's content words that the story's lines above it "
        "must not already hold.",
    )
    section_decay: float = Field(
        0.85,
        gt=0,
        le=1,
        description="Filling the memo, each further story of a section counts this many "
        "times less (1: pure weight; lower spreads the budget across sections).",
    )
    length_penalty: float = Field(
        0.0,
        ge=0,
        le=2,
        description="The memo fills by weight / words ** this: 0 ranks by weight alone, "
        "1 by weight per word (favours short sentences).",
    )


class RulesFile(Strict):
    """The whole rules file."""

    candidates: CandidateRule = Field(default_factory=CandidateRule)
    topics: TopicRule = Field(default_factory=TopicRule)
    stories: StoryRule = Field(default_factory=StoryRule)
    scoring: ScoringRule = Field(default_factory=ScoringRule)
    bottom_line: BottomLineRule = Field(default_factory=BottomLineRule)
    sections: list[SectionRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> RulesFile:
        problems = []
        keys = [s.key for s in self.sections]
        doubles = sorted({k for k in keys if keys.count(k) > 1})
        if doubles:
            problems.append(f"section keys must be unique: {', '.join(doubles)}")
        titles = [" ".join(s.title.casefold().split()) for s in self.sections]
        same = sorted(
            {s.title for s, t in zip(self.sections, titles, strict=True) if titles.count(t) > 1}
        )
        if same:
            problems.append(f"section titles must be unique: {', '.join(map(repr, same))}")
        if not any(not s.sink and not s.requires_topic for s in self.sections):
            problems.append("at least one section must be a shown topic section")
        if problems:
            raise ValueError("; ".join(problems))
        return self


# Keys of earlier rules files, and what became of them.
_RETIRED = {
    "scoring.corroboration": "use scoring.publishers",
    "scoring.corroboration_similarity": "use stories.similarity",
    "scoring.duplicate_similarity": "use stories.similarity",
    "scoring.relevance": "use scoring.cue",
    "scoring.relevance_cap": "use scoring.cue_cap",
    "scoring.limit_words": "sections now fill by weight; a section's limit is fixed",
    "bottom_line.max_age_days": "use bottom_line.current_days",
    "stories.fill_similarity": "use stories.merge_similarity",
}


# Characters whose case-insensitive matching ``str.lower`` does not reproduce
# (the dotless i, the long s, Greek and Cyrillic letters with several cases,
# and the dotted capital I, which lowers to two characters). Text holding one
# is matched the slow, exact way.
_CASE_UNSAFE = re.compile(
    "["
    + "".join(
        sorted(
            {chr(c) for c in _casefix._EXTRA_CASES if c > 127}
            | {chr(c) for v in _casefix._EXTRA_CASES.values() for c in v if c > 127}
            | {"\u0130"}
        )
    )
    + "]"
)
_TOKEN = re.compile(r"\w+")


def lowered(text: str) -> str | None:
    """``text`` lower-cased, or None where lower-casing is not case-insensitive matching."""
    if text.isascii():
        return text.lower()
    if _CASE_UNSAFE.search(text):
        return None
    return text.lower()


def may_hold(low: str | None, needles: frozenset[str] | None) -> bool:
    """False only when ``low`` (a lowered text) holds none of ``needles``."""
    return low is None or needles is None or any(n in low for n in needles)


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
    if len(low) != len(term) or _CASE_UNSAFE.search(term):
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


def needles(pattern: str, flags: int = re.IGNORECASE) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains.

    None when the pattern is too free to say (it can match without any
    fixed text). Used only to skip searching text that cannot match.
    """
    try:
        parsed = _parser.parse(pattern, flags)
        found = _required(list(parsed))
    except Exception:  # an unfamiliar construct: no shortcut
        return None
    if not found:
        return None
    # A trailing full stop may be added when an attribution is trimmed.
    trimmed = frozenset(n.rstrip(".") for n in found)
    if any(not n or _CASE_UNSAFE.search(n) or len(n.lower()) != len(n) for n in trimmed):
        return None
    return frozenset(n.lower() for n in trimmed)


def _required(items: list[tuple[object, object]]) -> set[str] | None:
    """Strings one of which any match of the item sequence contains, the longest known."""
    options: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _parser.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        flush()
        found: set[str] | None = None
        if op is _parser.SUBPATTERN:
            found = _required(list(av[-1]))  # type: ignore[index]
        elif op is _parser.ATOMIC_GROUP:
            found = _required(list(av))  # type: ignore[arg-type]
        elif op is _parser.BRANCH:
            branches = [_required(list(b)) for b in av[1]]  # type: ignore[index]
            if all(branches):
                found = set().union(*branches)  # type: ignore[arg-type]
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
            low, _, body = av  # type: ignore[misc]
            if low >= 1:
                found = _required(list(body))
        if found:
            options.append(found)
    flush()
    if not options:
        return None
    return max(options, key=lambda o: (min(len(n) for n in o), -len(o)))


def compile_pattern(
    source: str, where: str, problems: list[str], flags: int = re.IGNORECASE
) -> UserPattern | None:
    """Compile one user regex; a bad or dangerous one adds a line naming ``where``.

    See :mod:`briefer.summarize.patterns`: patterns that can backtrack without
    bound are refused, and searches read a bounded length of text.
    """
    try:
        regex = re.compile(source, flags)
    except re.error as exc:
        problems.append(f"{where}: bad regular expression {source!r}: {exc}")
        return None
    reason = danger(source)
    if reason is not None:
        problems.append(
            f"{where}: {source!r} can backtrack without bound on hostile text: {reason}"
        )
        return None
    return UserPattern(regex)


def _compile_each(sources: Iterable[str], where: str, problems: list[str]) -> list[UserPattern]:
    out = []
    for source in sources:
        pattern = compile_pattern(source, where, problems)
        if pattern is not None:
            out.append(pattern)
    return out


def _compile_term(term: str, weight: float) -> Term:
    lead = _lead(term)
    lower = re.compile(_term_regex(term.lower())) if lead is not None else None
    return Term(weight, re.compile(_term_regex(term), re.IGNORECASE), lower, lead)


def compile_rules(data: RulesFile, path: Path) -> Rules:
    """Compile every cue; a bad regular expression names its rule."""
    problems: list[str] = []
    compiled = []
    for rule in data.sections:
        where = f"{path}: section '{rule.key}'"
        terms = tuple(_compile_term(t, w) for t, w in rule.terms.items())
        found = _compile_each(rule.patterns, f"{where}: patterns", problems)
        patterns = tuple((p, rule.patterns[p.pattern]) for p in found)
        require = _compile_each(rule.require_any, f"{where}: require_any", problems)
        exclude = _compile_each(rule.exclude, f"{where}: exclude", problems)
        compiled.append(
            CompiledSection(
                rule=rule,
                terms=terms,
                patterns=patterns,
                exclude=tuple(exclude),
                require=tuple(require),
                pattern_needles=tuple(needles(p.pattern) for p, _ in patterns),
                require_needles=tuple(needles(p.pattern) for p in require),
                exclude_needles=tuple(needles(p.pattern) for p in exclude),
            )
        )
    cand = data.candidates
    dateline = compile_pattern(cand.dateline, f"{path}: candidates.dateline", problems, 0)
    junk = _compile_each(cand.junk, f"{path}: candidates.junk", problems)
    trim = _compile_each(cand.headline_trim, f"{path}: candidates.headline_trim", problems)
    if problems:
        raise ConfigError(*problems)
    assert dateline is not None
    return Rules(
        path=path,
        candidates=cand,
        topics=data.topics,
        stories=data.stories,
        scoring=data.scoring,
        bottom_line=data.bottom_line,
        sections=tuple(compiled),
        dateline=dateline,
        junk=tuple(junk),
        headline_trim=tuple(trim),
    )


def load_rules(path: Path) -> Rules:
    """Read, validate and compile a rules file; one ConfigError names every mistake."""
    from .rulecheck import every_problem

    if not path.is_file():
        raise ConfigError(f"{path}: rules file not found")
    raw = read_toml(path, "rules")
    try:
        return compile_rules(RulesFile.model_validate(raw), path)
    except ValidationError as exc:
        lines = _describe(exc, path, raw)
    except ConfigError as exc:
        lines = list(exc.lines)
    raise ConfigError(*every_problem(path, raw, lines))


def _describe(exc: ValidationError, path: Path, raw: dict[str, object]) -> list[str]:
    lines = []
    sections = raw.get("sections")
    for error in exc.errors():
        loc = list(error["loc"])
        where = str(path)
        full = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
            index = loc[1]
            key = None
            if isinstance(sections, list) and index < len(sections):
                entry = sections[index]
                key = entry.get("key") if isinstance(entry, dict) else None
            where += f": section '{key}'" if key else f": section #{index + 1}"
            loc = loc[2:]
        name = ".".join(str(p) for p in loc) or "(rule)"
        if error["type"] == "extra_forbidden":
            message = "unknown field"
            if full in _RETIRED:
                message = f"no longer used: {_RETIRED[full]}"
            else:
                message += did_you_mean(RulesFile, error["loc"])
        else:
            message = error["msg"]
        lines.append(f"{where}: {name}: {message}")
    return lines
