"""The rules file's tables as validated models (``config/rules.toml``).

Each table is a strict model: an unknown key is a mistake, answered with the
closest known key, or with what replaced it when an earlier briefer used it
(:data:`RETIRED`). The editorial tables ([kinds], [news_value], [questions])
are in :mod:`briefer.rules.editorial`, the pattern fields and [regex] in
:mod:`briefer.rules.fields`. :mod:`briefer.rules.load` reads, validates and
compiles a file for the engine, a line per mistake naming the file, section
and key.
"""

from __future__ import annotations

from pydantic import Field

from ..configfile import Strict
from .editorial import KindsRule, NewsValueRule, QuestionRule
from .fields import CasedPattern, Pattern, RegexRule


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
    patterns: dict[Pattern, float] = Field(
        default_factory=dict, description="Regular expressions -> weight (case-insensitive)."
    )
    require_any: list[Pattern] = Field(
        default_factory=list,
        description="The section's subject: regular expressions of which a text, or the "
        "headline or opening of its item, must match one for its cues to count here. Name "
        "the subject (a place, an actor), not a cue: a cue word must not open its own gate.",
    )
    exclude: list[Pattern] = Field(
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
    attributed_lines: bool = Field(
        False,
        description="Whether a line worded by a state-affiliated source (shown with its "
        "attribution) may be in the bottom line; by default such a claim stays in its "
        "section, attributed.",
    )
    budget_share: float = Field(
        0.333,
        gt=0,
        le=1,
        description="The bottom line's lines take at most this share of the word budget "
        "(rounded to whole words); the sections keep the rest.",
    )
    min_development: float = Field(
        1.0,
        ge=0,
        description="A current story whose line is a headline goes ahead of the others only "
        "when that headline and its bullet name `[news_value]` development_terms weighing this "
        "much (each term once: a decision, threat, plan, casualty ...); other current stories "
        "fill the lines left (0: off).",
    )


class CandidateRule(Strict):
    """Which texts may become bullets at all, and what is trimmed from them."""

    min_words: int = Field(7, ge=1, description="Shorter sentences are skipped.")
    source_title_words: int = Field(
        12,
        ge=1,
        description="A source with no headline or title is listed by this many opening "
        "words of its text.",
    )
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
    dateline: CasedPattern = Field(
        r"^[A-Z][A-Z'’.]{1,20}(?:[ -][A-Z][A-Z'’.]{1,20}){0,3}"
        r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \([A-Za-z.]{2,12}\))? ?(?:—|–|-{1,2}) ?",
        description="A dateline opening a paragraph ('JERUSALEM —', 'TEHRAN (AP) —', "
        "'GAZA CITY, Jan 7 (Reuters) -'): removed, the rest stays verbatim. Case-sensitive.",
        validate_default=True,
    )
    junk: list[Pattern] = Field(
        default_factory=list,
        description="Regular expressions (case-insensitive) for page furniture: a "
        "paragraph, sentence or headline matching one is never a bullet (captions, "
        "'Watch:', 'Related coverage:', podcast promos, 'Comments').",
    )
    headline_trim: list[Pattern] = Field(
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
    article_point_factor: float = Field(
        1.0,
        gt=0,
        description="The same in a long article (not a feed summary, more paragraphs "
        "than single_story_sentences): it moves from one topic to the next, and a "
        "paragraph reaching a section's min_score there is that section's point.",
    )
    subject_paragraphs: int = Field(
        1,
        ge=0,
        description="A section's subject (require_any) named in the headline or in this "
        "many opening paragraphs counts for every paragraph of the item.",
    )
    thread_paragraphs: int = Field(
        3,
        ge=0,
        description="In a long article, a paragraph with no section reaching its "
        "min_score continues the topic of the last paragraph that had one, at most "
        "this many paragraphs back (the opening paragraphs continue the item's "
        "topic); further on it has left the memo's topics.",
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
    merge_leader_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Merging, two stories' first points must share this much of their "
        "content words (cosine, each word once): stories do not merge through their "
        "members alone.",
    )
    days: float = Field(
        2.0, ge=0, description="Points whose sources are further apart are other stories."
    )
    meaning: bool = Field(
        False,
        description="Group single-story items (feed items, short texts) by what they say "
        "(sentence embeddings of their headline and opening) instead of by their words, "
        "when the model is installed; otherwise, and for longer articles, by words.",
    )
    meaning_similarity: float = Field(
        0.55,
        gt=0,
        le=1,
        description="Grouping by meaning, two groups of items are one story while the "
        "mean cosine similarity of their members' embeddings reaches this.",
    )
    meaning_points: int = Field(
        200,
        ge=2,
        le=500,
        description="At most this many single-story items, the heaviest, are grouped by "
        "meaning (the rest by words): bounds the time the model takes.",
    )
    meaning_tokens: int = Field(
        128,
        ge=16,
        le=256,
        description="The model reads at most this many word pieces of an item's headline "
        "and opening.",
    )
    cite_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="A story's item is cited (and counted among its publishers) only when "
        "its words are this close to its bullet's (cosine, each word once); a story's "
        "other items tell another side of it.",
    )
    cite_meaning_similarity: float = Field(
        0.0,
        ge=0,
        le=1,
        description="In a story grouped by meaning, an item its words do not bring close "
        "enough (cite_similarity) is still cited (and counted) when its embedding is this "
        "alike to the bullet's item's (cosine; 0: words alone decide).",
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
    compared_stories: int = Field(
        16,
        ge=1,
        description="A point (or, merging, a story) is compared with at most this many "
        "stories: those sharing most of its rare words. Bounds the work per point.",
    )
    merge_rare_words: int = Field(
        16,
        ge=1,
        description="Merging, a story looks for a close story through this many of its "
        "heaviest words (shared by several points, not too common).",
    )
    same_point_jaccard: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Two bullets say the same point when this share of their content "
        "words (Jaccard) is common to both: the second is left out of the memo, and a "
        "story of the previous edition told this way is not new.",
    )
    same_point_containment: float = Field(
        0.75,
        gt=0,
        le=1,
        description="... or when this share of the shorter text's content words is in the "
        "longer one.",
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
    common_name_min_items: int = Field(
        3,
        ge=1,
        description="Names count as the day's main actors (common_name_share) only in an "
        "edition with at least this many items that give a candidate.",
    )
    common_name_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Names found in more than this share of the items that give a "
        "candidate (the main actors) do not count as specifics; 1.0 counts every name.",
    )
    centrality: float = Field(
        4.0,
        ge=0,
        description="Choosing a story's bullet: weight of how much of what the story's "
        "texts share a candidate tells (0 to 1), so the news beats background.",
    )
    core_texts: int = Field(
        40,
        ge=1,
        description="A story's shared words (for centrality) are counted over at most this "
        "many of its texts, heaviest points first.",
    )
    core_headline_weight: float = Field(
        2.0,
        ge=0,
        description="A headline's words count this many times among a story's shared words "
        "(a sentence's once).",
    )
    line_specifics: float = Field(
        0.05,
        ge=0,
        description="Choosing a story's bottom-line headline: bonus per figure, date or name "
        "it gives, beside its centrality (0 to 1).",
    )
    line_specifics_cap: int = Field(
        4, ge=0, description="Figures, dates and names counted at most for line_specifics."
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


class RulesFile(Strict):
    """The whole rules file."""

    candidates: CandidateRule = Field(default_factory=CandidateRule)
    topics: TopicRule = Field(default_factory=TopicRule)
    stories: StoryRule = Field(default_factory=StoryRule)
    scoring: ScoringRule = Field(default_factory=ScoringRule)
    bottom_line: BottomLineRule = Field(default_factory=BottomLineRule)
    kinds: KindsRule = Field(default_factory=KindsRule)
    questions: QuestionRule = Field(default_factory=QuestionRule)
    news_value: NewsValueRule = Field(default_factory=NewsValueRule)
    regex: RegexRule = Field(default_factory=RegexRule)
    sections: list[SectionRule] = Field(min_length=1)


# Keys of earlier rules files, and what became of them.
RETIRED = {
    "scoring.corroboration": "use scoring.publishers",
    "scoring.corroboration_similarity": "use stories.similarity",
    "scoring.duplicate_similarity": "use stories.same_point_jaccard and "
    "stories.same_point_containment",
    "scoring.relevance": "use scoring.cue",
    "scoring.relevance_cap": "use scoring.cue_cap",
    "scoring.limit_words": "sections now fill by weight; a section's limit is fixed",
    "bottom_line.max_age_days": "use bottom_line.current_days",
    "stories.fill_similarity": "use stories.merge_similarity",
    "scoring.vague_penalty": "removed: the specifics weight already favours bullets that give "
    "figures, dates or names",
    "scoring.section_decay": "removed: sections fill by story weight alone",
    "scoring.length_penalty": "removed: sections fill by story weight alone",
}
