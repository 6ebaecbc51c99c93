"""Candidates: the sentences (and the headline) of an on-topic item that may be bullets.

A sentence is a candidate when it stands alone as a bullet (length, no
unresolved "He"/"This ..." opening unless it can join the sentence before,
balanced quotes, a finished statement, not page furniture) and it can be
routed to a section of its item (route, step two):

- a section that ``takes_precedence`` (open questions) takes a sentence
  reaching its ``min_score``, when the item is on a topic;
- otherwise the best of the item's sections (:class:`ItemTopics.allowed`)
  that the sentence reaches;
- a sentence reaching no section continues its item's thread and goes to
  the item's main topic; one about another topic (a sink such as the West
  Bank, or a section the item is not about) is left out.

The bullet text is the sentence itself, at most with a leading connective
("But", "However,") or closing attribution trimmed: never words of ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..models import Decision, Origin
from ..rules import Rules
from .clean import Prepared
from .topics import ItemTopics
from .words import STOPWORDS

HEADLINE = -1  # sentence index of an item's headline

_ATTRIBUTION = re.compile(
    r",\s+(?:according\s+to\s+[^,;:\"“”]{3,160}"
    r"|(?:(?:the|some|two|three|several|local|senior)\s+){0,3}"
    r"(?:sources?|officials?|people|analysts|diplomats|reports?|media|officers?)"
    r"(?:\s+[a-z][\w-]{0,30}){0,4}\s+(?:said|say|says|reported|report))\.$"
)
_END = re.compile(r"""[.!?]["'”’)\]]{0,4}$""")
_QUESTION = re.compile(r"""\?["'”’)\]]{0,4}$""")
_CUT = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")


@dataclass(frozen=True, slots=True)
class Judged:
    """A sentence judged as a bullet: its text, or why it cannot stand alone."""

    text: str = ""
    problem: str = ""
    # It opens with a word that needs the sentence before ("He", "The move").
    needs_previous: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """A text that may become a bullet, with where it came from and where it goes."""

    origin: Origin  # the item it comes from
    index: int  # sentence number in the item's body; HEADLINE (or less: a part) for headlines
    paragraph: int  # paragraph number in the item's body; HEADLINE for the headline
    text: str  # the bullet text
    section: int  # index of its section in rules.sections
    cue: float  # its score for that section
    joined: bool = False  # the text opens with the sentence before (join_previous)

    @property
    def headline(self) -> bool:
        return self.index <= HEADLINE

    @property
    def item(self) -> int:
        """Its item's place in reading order."""
        return self.origin.number

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Asked:
    """A text of an item that states something unresolved: an open question's source.

    Kept whether or not it stands alone as a bullet (a feed summary's clause
    without a full stop, a headline): :mod:`briefer.summarize.questions`
    takes what of it stands alone.
    """

    origin: Origin
    index: int  # as Candidate.index: a body sentence, or HEADLINE
    text: str  # the sentence or headline, verbatim
    score: float  # its score for the questions section
    pending: int | None = None  # where a pending-decision pattern matches, if one does


@dataclass(frozen=True, slots=True)
class ItemCandidates:
    """An item's candidates in reading order (headline last), and verdicts for --explain."""

    candidates: tuple[Candidate, ...]
    sentences: int  # body sentences read
    decisions: tuple[Decision, ...] = ()
    asked: tuple[Asked, ...] = ()  # its texts that state something unresolved


def item_candidates(
    prepared: Prepared,
    topics: ItemTopics,
    rules: Rules,
    origin: Origin,
    split: Callable[[str], list[str]],
    explain: bool = False,
) -> ItemCandidates:
    """Split an on-topic item's body into sentences and keep those that can be bullets."""
    key = prepared.article.key
    units = [(p, text) for p, para in enumerate(prepared.paragraphs) for text in split(para)]
    found: list[Candidate] = []
    decisions: list[Decision] = []
    asked: list[Asked] = []
    keys = rules.keys
    for n, (paragraph, sentence) in enumerate(units):
        following = units[n + 1] if n + 1 < len(units) else None
        paragraph_end = following is None or following[0] != paragraph
        judged = standalone(sentence, rules, paragraph_end)
        text, problem = judged.text, judged.problem
        joined = False
        if judged.needs_previous and n and rules.candidates.join_previous:
            before_paragraph, before = units[n - 1]
            if before_paragraph in (paragraph, paragraph - 1) and ends_whole(before):
                both = standalone(f"{before} {sentence}", rules, paragraph_end)
                if not both.problem:
                    text, problem, joined = both.text, "", True
        # A joined bullet is scored as the sentence itself: the one before gives context.
        scored = sentence if joined else text or sentence
        if scored == prepared.paragraphs[paragraph]:
            scores = topics.paragraphs[paragraph]  # the whole paragraph: scored already
        else:
            scores = rules.text_scores(scored, topics.met)
        ask = _asked(origin, n, sentence, scores, rules, topics.paragraphs[paragraph])
        if ask is not None:
            asked.append(ask)
        section, why = (None, problem) if problem else route(scores, topics, paragraph, rules)
        if section is None:
            if explain:
                decisions.append(_decision(key, n, sentence, scores, keys, why))
            continue
        found.append(Candidate(origin, n, paragraph, text, section, scores[section], joined))
        if explain:
            decisions.append(_decision(key, n, text if joined else sentence, scores, keys, ""))
    for part, headline in enumerate(prepared.headlines if rules.candidates.headlines else ()):
        index = HEADLINE - part  # -1 for the headline, -2, -3 ... for a digest's parts
        judged = standalone(headline, rules, heading=True)
        text, problem = judged.text, judged.problem
        scores = rules.text_scores(text or headline, topics.met)
        ask = _asked(origin, index, headline, scores, rules, scores)
        if ask is not None:
            asked.append(ask)
        section, why = (None, problem) if problem else route(scores, topics, None, rules)
        if section is not None:
            found.append(Candidate(origin, index, HEADLINE, text, section, scores[section]))
        if explain:
            decisions.append(_decision(key, index, headline, scores, keys, why))
    return ItemCandidates(tuple(found), len(units), tuple(decisions), tuple(asked))


def _asked(
    origin: Origin,
    index: int,
    text: str,
    scores: Sequence[float],
    rules: Rules,
    around: Sequence[float],
) -> Asked | None:
    """The text as an open question's source, if it states something unresolved or pending.

    ``around``: the section scores of its paragraph (a headline's own); a
    paragraph with no cue of a topic the memo shows is about something else
    (a long article's other news), and asks nothing of the memo's topics.
    """
    asks = rules.questions_section
    if asks is None:
        return None
    if any(scores[k] > 0 for k, s in enumerate(rules.sections) if s.rule.sink):
        return None  # about a topic the memo leaves out (the West Bank, Lebanon's front)
    if not any(around[k] > 0 for k in rules.topical):
        return None
    text = " ".join(text.split())
    score = scores[asks]
    pending = rules.first_pending(text)
    if score < rules.sections[asks].rule.min_score and pending is None:
        return None
    return Asked(origin, index, text, score, pending)


def route(
    scores: Sequence[float], topics: ItemTopics, paragraph: int | None, rules: Rules
) -> tuple[int | None, str]:
    """The section a sentence of an on-topic item goes to, or None and why not."""
    sections = rules.sections
    if not topics.on_topic:
        return None, "item not on any section's topic"
    for k, section in enumerate(sections):
        rule = section.rule
        if rule.takes_precedence and not rule.sink and scores[k] >= rule.min_score:
            return k, ""
    allowed = topics.allowed(paragraph)
    reached = [k for k in allowed if scores[k] >= sections[k].rule.min_score]
    sink = max((scores[k] for k, s in enumerate(sections) if s.rule.sink), default=0.0)
    if reached:
        # In multiples of each section's min_score: sections weigh alike whatever their scale.
        best = max(reached, key=lambda k: (scores[k] / sections[k].rule.min_score, -k))
        if sink > scores[best]:
            return None, "about a topic the memo leaves out (a sink section scores higher)"
        return best, ""
    # With nothing of its own topic, any cue of another topic means it is about that.
    elsewhere = [k for k in rules.topical if k not in allowed and scores[k] > 0]
    if elsewhere:
        return None, f"in passing about '{sections[elsewhere[0]].rule.key}', not its item's topic"
    if sink > 0:
        return None, "about a topic the memo leaves out (a sink section)"
    if paragraph is not None and topics.long:
        if not topics.on_thread[paragraph]:
            return None, "its paragraph has left the article's topics (no cue nearby)"
        # In a long article, the thread of its paragraph: the topic the
        # paragraph's other words name (ties: the item's heavier topic).
        row = topics.paragraphs[paragraph]
        best = max(allowed, key=lambda k: (row[k], -allowed.index(k)), default=None)
        if best is not None and row[best] > 0:
            return best, ""
    if topics.main:
        return topics.main[0], ""  # the item's thread, told without naming its topic
    return None, "no section reached its min_score"


def _decision(
    key: str,
    index: int,
    text: str,
    scores: Sequence[float],
    keys: Sequence[str],
    reason: str,
) -> Decision:
    return Decision(
        article_key=key,
        sentence_index=index,
        text=text,
        section_scores=tuple(zip(keys, scores, strict=True)),
        section=None,
        score=0.0,
        kept=False,
        reason=reason,
        pending=not reason,
    )


def standalone(
    text: str, rules: Rules, paragraph_end: bool = False, heading: bool = False
) -> Judged:
    """The bullet text of a sentence, or a reason why it cannot stand alone.

    A sentence without a full stop is accepted only at the end of its
    paragraph (feed summaries often drop the last full stop), and not when
    it ends in an ellipsis or on a function word (a cut-off summary). A
    ``heading`` (an item's headline) needs no full stop and no antecedent
    check, only no ellipsis.
    """
    cand = rules.candidates
    trimmed = trim_leading(text, rules)
    if cand.trim_trailing_attribution:
        trimmed = trim_attribution(trimmed, cand.min_words)
    words = trimmed.split()
    least = cand.headline_min_words if heading else cand.min_words
    if _CUT.search(trimmed):
        return Judged(problem="a headline cut short" if heading else "no sentence end (a cut)")
    if len(words) < least:
        return Judged(problem=f"too short ({len(words)} words)")
    if len(words) > cand.max_words:
        return Judged(problem=f"too long ({len(words)} words)")
    if rules.is_junk(trimmed):
        return Judged(problem="page furniture")
    if not heading:
        start = unresolved_start(trimmed, rules)
        if start is not None:
            return Judged(problem=f"starts with unresolved '{start}'", needs_previous=True)
    first = trimmed.lstrip("\"'“‘(")
    if first[:1].islower():
        return Judged(problem="starts mid-sentence")
    if not heading and not _END.search(trimmed):
        last = trimmed.split()[-1].lower().strip("\"'”’),;:")
        # Ending on a function word is a cut ("... the plan would"); so is ending
        # on "said" or "told": in feed summaries the quote often follows, cut off.
        if not paragraph_end or last in STOPWORDS or not last:
            return Judged(problem="no sentence end (a heading or a cut)")
    if _QUESTION.search(trimmed):
        return Judged(problem="a question, not a finding")
    if trimmed.count('"') % 2 or trimmed.count("“") != trimmed.count("”"):
        return Judged(problem="quote opened or closed outside the sentence")
    return Judged(trimmed)


def ends_whole(text: str) -> bool:
    """Whether ``text`` ends as a finished statement: a full stop or "!", no cut, no question."""
    text = text.strip()
    return bool(_END.search(text)) and not _CUT.search(text) and not _QUESTION.search(text)


def trim_leading(text: str, rules: Rules) -> str:
    """``text`` stripped, without a leading connective ("But", "However,"), recapitalised."""
    trimmed = text.strip()
    for lead in rules.candidates.trim_leading:
        if trimmed.startswith(lead + " ") and len(trimmed) > len(lead) + 2:
            rest = trimmed[len(lead) + 1 :].lstrip()
            return rest[0].upper() + rest[1:]
    return trimmed


def unresolved_start(trimmed: str, rules: Rules) -> str | None:
    """The unresolved_starts word ``trimmed`` opens with, if any (standalone_starts excepted)."""
    cand = rules.candidates
    if any(trimmed.startswith(start) for start in cand.standalone_starts):
        return None
    for start in cand.unresolved_starts:
        if trimmed == start or trimmed.startswith((start + " ", start + ",")):
            return start
    return None


def trim_attribution(text: str, min_words: int = 1) -> str:
    """``text`` without a closing attribution clause, if what is left is a sentence.

    "Talks resumed, officials said." becomes "Talks resumed."; so does "Talks
    resumed, according to two people familiar with the plans." The rest is kept
    verbatim; a sentence whose rest would be short, or would end inside a
    quote or bracket, is returned as it was.
    """
    match = _ATTRIBUTION.search(text)
    if match is None:
        return text
    rest = text[: match.start()].rstrip()
    if len(rest.split()) < min_words or not rest[-1:].isalnum():
        return text
    quotes = rest.count('"') % 2 or rest.count("“") != rest.count("”")
    if quotes or rest.count("(") != rest.count(")"):
        return text
    return rest + "."
