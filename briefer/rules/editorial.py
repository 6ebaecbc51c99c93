"""The rules file's editorial tables: what sort each item is, what a story is worth, what is open.

``[kinds]`` (with its ``[[kinds.rule]]``), ``[news_value]`` and
``[questions]`` (with its ``[[questions.figure]]``); the other tables are
in :mod:`briefer.rules.schema`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ..configfile import Strict
from ..models import Kind
from .fields import Pattern


class FigureRule(Strict):
    """One kind of figure whose values sources of one story may give differently."""

    label: str = Field(min_length=1, description="What is counted, shown before the figures.")
    pattern: Pattern = Field(
        description="Regular expression finding such a figure; its group 'figure' is the "
        "figure as the source words it, its group 'number' (optional) the number compared."
    )

    @model_validator(mode="after")
    def _names_its_figure(self) -> FigureRule:
        if "figure" not in self.pattern.groupindex:
            raise ValueError("pattern needs a group named 'figure'")
        return self


class QuestionRule(Strict):
    """Open questions: what is unresolved in this edition's news, each entry cited and current."""

    section: str = Field(
        "open_questions",
        description="The section that shows them; its cues (terms and patterns) find the "
        "texts that state something unresolved or a decision pending.",
    )
    max_entries: int = Field(5, ge=0, description="At most this many entries.")
    budget_share: float = Field(
        0.15,
        ge=0,
        le=1,
        description="At most this share of the word budget is kept for the entries while "
        "the stories fill the memo (what they leave goes back to the stories).",
    )
    max_per_story: int = Field(
        2, ge=1, description="At most this many entries of one story (the second only when "
        "it says something else).",
    )
    novelty: float = Field(
        0.5,
        ge=0,
        le=1,
        description="A story's second entry has at least this share of content words its "
        "first does not hold, in all its words and in those from its cue on (what it asks "
        "about): it asks something else, not the same in other words.",
    )
    min_words: int = Field(
        4, ge=1, description="A question's text (a whole sentence or headline, or the clause "
        "holding its cue) has at least this many words."
    )
    max_words: int = Field(
        40, ge=1, description="A longer sentence gives only the clause holding its cue."
    )
    pending: list[Pattern] = Field(
        default_factory=list,
        description="Regular expressions of a decision or event pending (expected, "
        "awaited, needing someone's approval): such a text is an open question too.",
    )
    max_ratio: float = Field(
        5.0,
        ge=1,
        description="Two figures this many times apart count different things (one "
        "strike's toll and the toll since the ceasefire): they are not compared. A vague "
        "count (dozens, hundreds) is compared with any figure. A running total this far "
        "from another figure tells another event: not one story, and a bullet does not "
        "cite the other.",
    )
    running_total: list[Pattern] = Field(
        default_factory=list,
        description="Regular expressions of a running total (since the ceasefire, so far, "
        "in 2025): a figure in a text matching one counts a total, not one event.",
    )
    move_bullets: bool = Field(
        True,
        description="A story whose section bullet is itself an open question (a decision "
        "pending, a stated uncertainty) is told once, among the open questions, citing its "
        "story's sources, when they show it; false: it stays in its section and the entry "
        "is left out as said already.",
    )
    figure: list[FigureRule] = Field(
        default_factory=list,
        description="Figures compared across the sources of each story; differing values "
        "make one entry citing each.",
    )




class KindRule(Strict):
    """One ``[[kinds.rule]]``: the kind of an item whose link, headline, opening or category
    matches."""

    kind: Kind = Field(description="The kind this rule gives.")
    link: list[Pattern] = Field(
        default_factory=list, description="Regular expressions searched in the link's path."
    )
    headline: list[Pattern] = Field(
        default_factory=list, description="Regular expressions searched in the headline."
    )
    opening: list[Pattern] = Field(
        default_factory=list,
        description="Regular expressions searched in the opening of the item's text "
        "(its first opening_chars characters).",
    )
    category: list[Pattern] = Field(
        default_factory=list,
        description="Regular expressions searched in each category the item's feed gives "
        "it (RSS <category>, Atom category term or label), where a feed has them.",
    )


class KindsRule(Strict):
    """What sort of item each is, and what each sort may do in the memo."""

    leave_out: list[Kind] = Field(
        default_factory=lambda: ["opinion", "analysis"],
        description="Kinds never in the memo: an opinion or an analysis is not stated as fact.",
    )
    never_lead: list[Kind] = Field(
        default_factory=lambda: ["explainer", "feature", "media"],
        description="Kinds that may be cited for a story but never word its bullet or a "
        "bottom-line line; a story only they tell is not shown.",
    )
    apart: list[Kind] = Field(
        default_factory=list,
        description="Kinds shown set apart: each bullet they word opens with its kind and "
        "publisher (apart_attribution), and never leads the bottom line. A desk that wants "
        "opinion moves it from leave_out to here.",
    )
    apart_attribution: str = Field(
        "{kind} ({publisher})",
        description="What opens a bullet of a kind shown apart; {kind} is the kind "
        "('Opinion'), {publisher} the source's name.",
    )
    opening_chars: int = Field(
        300, ge=0, description="How much of an item's text the opening patterns read."
    )
    state_media_attribution: str = Field(
        "{publisher} (state media)",
        description="Shown before the words of a state-affiliated source (a feed or seed "
        "marked state_media); {publisher} is its name.",
    )
    rule: list[KindRule] = Field(
        default_factory=list,
        description="The rules, in order: the first that matches decides; no match is news.",
    )


class NewsValueRule(Strict):
    """What an editor weighs in a story beyond who tells it (added to its weight)."""

    development: float = Field(
        1.0,
        ge=0,
        description="Per development cue in its bullet and line: a decision, threat, plan, "
        "agreement or casualty figure (development_terms).",
    )
    development_cap: float = Field(3.0, ge=0, description="Development cue weight counted at most.")
    actor: float = Field(
        0.5, ge=0, description="Per principal actor named in its bullet and line (actor_terms)."
    )
    actor_cap: float = Field(2.0, ge=0, description="Actor weight counted at most.")
    soft: float = Field(
        2.0,
        ge=0,
        description="Taken off per cue of human interest, celebrity, diaspora events or "
        "routine incidents (soft_terms).",
    )
    soft_cap: float = Field(2.0, ge=0, description="Soft cue weight counted at most.")
    fresh: float = Field(
        2.0,
        ge=0,
        description="Added to a story dated within fresh_days of the edition's day (a "
        "development of the day, or of the day before).",
    )
    fresh_days: float = Field(
        1.0, ge=0, description="How many days before the edition's day count as fresh."
    )
    development_terms: dict[str, float] = Field(
        default_factory=dict, description="Cue terms of a development -> weight."
    )
    actor_terms: dict[str, float] = Field(
        default_factory=dict, description="Principal actors -> weight."
    )
    soft_terms: dict[str, float] = Field(
        default_factory=dict, description="Cues of soft news -> weight."
    )
