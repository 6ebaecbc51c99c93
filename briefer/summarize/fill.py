"""Fill: the budget goes to the heaviest stories, whichever section they are in.

1. **Bottom line**: the heaviest *current* stories (newest source at most
   ``current_days`` older than the edition's newest source), one line
   each, each a different story, at most ``max_per_source`` lines worded
   by one source, within ``budget_share`` of the budget. The line is a
   headline of the story or a shorter sentence, and the story keeps its
   fuller bullet in its section; a story with no text but its bullet gives
   that bullet up to the bottom line, so no text is printed twice. A
   story whose line is a headline goes first only when that headline and
   its bullet name development terms weighing ``min_development``
   (``[news_value]``: a decision, threat, plan, casualty ...); other current
   stories take the lines left. When fewer than ``min_items`` current
   stories qualify, older ones fill up.
   Only a story that a text of a leading kind tells is shown at all.
2. **Sections**: each section that has a story gets its heaviest one;
   then stories are taken heaviest first, whatever their section, while
   their bullet fits the budget (and up to a section's ``limit`` when it
   has one). On a thin day every on-topic story that fits is used.
3. **Details**: when every story that fits has its bullet and words are
   left (a thin day), the heaviest stories get up to ``max_details`` more
   of their texts (sentences, or another source's headline), shown under
   their bullet, each adding words the lines above it do not hold
   (``detail_novelty``) and a figure or name they do not give.

4. **Open questions**: once the stories are in, the entries (heaviest
   story first, at most ``max_entries``) take what words are left, the
   stories having left at least ``budget_share`` of the budget for them;
   none says what a printed line or bullet says, and the words they leave
   go back to the stories. A story whose bullet is itself one of the
   entries (``move_bullets``) is taken like any other, and leaves its
   section when that entry is shown: told once, among the open questions.

Bottom-line lines count toward the budget. Within a section, bullets read
heaviest first. A bullet that says what an earlier one says
(``same_point_*``) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..rules import Rules
from .candidates import Candidate
from .questions import Question
from .rank import Ranked
from .words import content_words, new_share, same_point, specific_parts


@dataclass(frozen=True, slots=True)
class Filled:
    """The stories chosen, by number: the bottom line, and each shown section's in order."""

    bottom_line: tuple[int, ...]
    sections: tuple[tuple[int, tuple[int, ...]], ...]  # (section index, story numbers)
    left_out: Mapping[int, str]  # story number -> why it is not in the memo
    details: Mapping[int, tuple[Candidate, ...]]  # story number -> its details
    questions: tuple[int, ...] = ()  # the open questions shown (indexes of those given)
    # Current stories outweighing a bottom-line story, kept out of it by
    # ``min_development`` -> why (for ``briefer explain``).
    held: Mapping[int, str] = field(default_factory=dict)


def fill(
    stories: Sequence[Ranked],
    rules: Rules,
    budget: int,
    newest: date | None,
    asked: Sequence[Question] = (),
) -> Filled:
    """Choose the memo's stories within ``budget`` words (see the module docstring).

    ``stories`` are numbered by their place (``stories[n].number == n``);
    ``asked``: the edition's open questions, heaviest first.
    """
    order = sorted(range(len(stories)), key=lambda i: (-stories[i].weight, i))
    bottom, held = _bottom_line(stories, order, rules, budget, newest)
    used = sum(stories[i].shown_line.words for i in bottom)
    # A story with no other line than its bullet gives the bullet up to the bottom line.
    promoted = {i for i in bottom if stories[i].line is None}
    # The questions section shows the open questions, not stories of its own.
    asks = rules.questions_section
    shown = [k for k, s in enumerate(rules.sections) if not s.rule.sink and k != asks]
    chosen: dict[int, list[int]] = {k: [] for k in shown}
    seen = [content_words(stories[i].shown_line.text) for i in bottom]
    said: dict[int, frozenset[str]] = {}  # the section bullets' words, by story
    asked_words: list[frozenset[str]] = []  # the open questions' words, once chosen
    left_out: dict[int, str] = {}
    stories_rule = rules.stories
    # A story whose bullet is itself an open question (a decision pending, a
    # stated uncertainty) is told once: among the open questions when they
    # show it (the entry takes its bullet's words), else in its section. One
    # whose bullet went up to the bottom line has been told already.
    movable = {
        q.story: n
        for n, q in enumerate(asked)
        if q.bullet and q.story >= 0 and q.story not in promoted and rules.questions.move_bullets
    }

    def take(i: int) -> bool:
        nonlocal used
        story = stories[i]
        if story.section == asks:
            left_out[i] = "stated uncertainty: shown among the open questions, if at all"
            return False
        if story.section not in chosen or i in promoted:
            return False
        if not story.leads:
            kinds = sorted({c.origin.kind for c in story.story.candidates})
            left_out[i] = f"told only by items that never lead a story ({', '.join(kinds)})"
            return False
        limit = rules.sections[story.section].rule.limit
        if limit and len(chosen[story.section]) >= limit:
            left_out[i] = "section limit reached"
            return False
        if used + story.bullet.words > budget:
            left_out[i] = "over the word budget"
            return False
        words = content_words(story.bullet.text)
        lines = (w for j, w in zip(bottom, seen, strict=False) if j != i)  # others' lines
        if any(
            same_point(words, other, stories_rule)
            for other in (*said.values(), *asked_words, *lines)
        ):
            left_out[i] = "says what a bullet already in the memo says"
            return False
        chosen[story.section].append(i)
        said[i] = words
        used += story.bullet.words
        left_out.pop(i, None)
        return True

    taken: set[int] = set()
    for k in shown:  # every section with a story gets its heaviest one first
        for i in order:
            if stories[i].section == k and take(i):
                taken.add(i)
                break
    # Words kept for the open questions, so that a full day still says what is
    # unresolved; they are chosen once the stories are in, and never say what a
    # printed bullet says. Words they leave go back to the stories.
    entries = rules.questions.max_entries
    reserve = min(
        sum(_words(q) for q in asked[:entries]), round(budget * rules.questions.budget_share)
    )
    budget -= reserve
    for i in order:  # then the heaviest stories of any section
        if i not in taken and take(i):
            taken.add(i)
    budget += reserve
    printed = [*zip(bottom, seen, strict=True), *said.items()]
    chosen_questions = _questions(asked, rules, budget - used, printed, movable, taken)
    # A story told among the questions leaves its section; its entry has its words.
    told_there = {asked[n].story for n in chosen_questions if movable.get(asked[n].story) == n}
    for i in told_there:
        if i in said:
            chosen[stories[i].section].remove(i)
            del said[i]
            used -= stories[i].bullet.words
        left_out[i] = "its bullet is an open question: told there"
    taken |= told_there
    used += sum(_words(asked[n]) for n in chosen_questions)
    asked_words.extend(content_words(asked[n].text) for n in chosen_questions)
    for i in order:  # the words the questions left go back to the stories
        if i not in taken and take(i):
            taken.add(i)
    for i in order:
        if i not in taken and i not in left_out and i not in promoted:
            left_out[i] = "over the word budget"
    details = _details(stories, [i for i in order if i in said], rules, budget - used,
                       [*seen, *said.values(), *asked_words])  # fmt: skip
    sections = tuple(
        (k, tuple(sorted(chosen.get(k, ()), key=lambda i: (-stories[i].weight, i))))
        for k, s in enumerate(rules.sections)
        if not s.rule.sink
    )
    return Filled(tuple(bottom), sections, left_out, details, tuple(chosen_questions), held)


def _questions(
    asked: Sequence[Question],
    rules: Rules,
    left: int,
    printed: Sequence[tuple[int, frozenset[str]]],
    movable: Mapping[int, int],
    taken: set[int],
) -> list[int]:
    """The open questions shown: heaviest first, within ``left`` words, none said before.

    ``printed``: (story, words) of every bottom-line line and section bullet.
    ``movable``: stories whose bullet is one of ``asked`` (by index), told
    there if it is shown: that entry is not compared with its own story's
    line and bullet, and takes no more words when the story was ``taken``
    (its bullet's words are given back).
    """
    chosen: list[int] = []
    printed = list(printed)
    for n, question in enumerate(asked):
        if len(chosen) >= rules.questions.max_entries:
            break
        own = question.story if movable.get(question.story) == n else None
        words = 0 if own is not None and own in taken else _words(question)
        if words > left:
            continue
        told = content_words(question.text)
        if not question.figures and any(
            same_point(told, w, rules.stories) for story, w in printed if story != own
        ):
            continue  # it says what a bullet already in the memo says
        chosen.append(n)
        printed.append((-1, told))
        left -= words
    return chosen


def _words(question: Question) -> int:
    """The words an entry takes: its text, and each figure it gives."""
    return len(question.text.split()) + sum(len(f.split()) for f, _ in question.figures)


def _details(
    stories: Sequence[Ranked],
    order: Sequence[int],
    rules: Rules,
    left: int,
    seen: list[frozenset[str]],
) -> dict[int, tuple[Candidate, ...]]:
    """Details under the heaviest stories while words are left (see ``max_details``)."""
    config = rules.scoring
    found: dict[int, list[Candidate]] = {}
    told: dict[int, set[str]] = {}
    for i in order:
        story = stories[i]
        lines = [c for c in (story.bullet, story.line) if c is not None]
        told[i] = set().union(*(content_words(c.text) for c in lines))
    for _ in range(config.max_details):
        added = False
        for i in order:
            story = stories[i]
            shown = [story.bullet, story.line, *found.get(i, ())]
            best = None
            for candidate in story.story.candidates:
                if any(candidate is c for c in shown) or candidate.words > left:
                    continue
                if not candidate.origin.leads:
                    continue  # a feature's or an explainer's words never tell the news
                words = content_words(candidate.text)
                if new_share(words, [told[i]]) < config.detail_novelty:
                    continue
                if not _new_facts(candidate.text, told[i]):
                    continue  # no figure or name the story has not given: a retelling
                if any(same_point(words, other, rules.stories) for other in seen):
                    continue
                if best is None or len(words - told[i]) > len(best[1] - told[i]):
                    best = (candidate, words)
            if best is None:
                continue
            found.setdefault(i, []).append(best[0])
            told[i] |= best[1]
            seen.append(best[1])
            left -= best[0].words
            added = True
        if not added:
            break
    return {i: tuple(ds) for i, ds in found.items()}


def _bottom_line(
    stories: Sequence[Ranked],
    order: Sequence[int],
    rules: Rules,
    budget: int,
    newest: date | None,
) -> tuple[list[int], dict[int, str]]:
    """The bottom line's stories in order, and the current ones ``min_development`` held back."""
    config = rules.bottom_line
    asks = rules.questions_section
    shown = {k for k, s in enumerate(rules.sections) if not s.rule.sink and k != asks}
    ready = [i for i in order if stories[i].section in shown and stories[i].leads]
    words = round(budget * config.budget_share)

    def current(i: int) -> bool:
        day = stories[i].published
        if newest is None or day is None:
            return newest is None
        return (newest - day).days <= config.current_days

    def developing(i: int) -> bool:
        """Whether a headline line states a development (a decision, a threat ...).

        A sentence line is the story's own telling; a headline may be a
        profile's or a visit's, which stays behind the day's developments.
        """
        line = stories[i].shown_line
        if not line.headline:
            return True
        texts = dict.fromkeys((line.text, stories[i].bullet.text))
        return rules.news_cues.development(" ".join(texts)) >= config.min_development

    chosen: list[int] = []
    per_source: dict[str, int] = {}
    used = 0
    # A story with no line but its bullet may give it up only if its section keeps another.
    left: dict[int, int] = {}
    for i in ready:
        left[stories[i].section] = left.get(stories[i].section, 0) + 1
    # Current stories telling a development first, then the other current
    # ones up to max_items, then older ones up to min_items.
    fresh = [i for i in ready if current(i)]
    for pool in ([i for i in fresh if developing(i)], fresh, ready):
        for i in pool:
            enough = config.min_items if pool is ready else config.max_items
            if len(chosen) >= min(enough, config.max_items):
                break
            line = stories[i].shown_line
            if line.origin.attribution is not None and not config.attributed_lines:
                continue  # a state-affiliated source's claim does not lead the memo
            source = line.origin.publisher
            if i in chosen or per_source.get(source, 0) >= config.max_per_source:
                continue
            if used + line.words > words:
                continue
            promoted = stories[i].line is None
            if promoted and left[stories[i].section] <= 1:
                continue
            if promoted:
                left[stories[i].section] -= 1
            chosen.append(i)
            per_source[source] = per_source.get(source, 0) + 1
            used += line.words
    # Heavier than a story the bottom line took, held back only for its headline.
    place = {i: n for n, i in enumerate(ready)}
    last = max((place[i] for i in chosen), default=-1)
    held = {
        i: f"not in the bottom line: its headline names no development "
        f"(min_development {config.min_development:g})"
        for i in fresh
        if i not in chosen and place[i] < last and not developing(i)
    }
    return chosen, held


def _new_facts(text: str, told: set[str]) -> bool:
    """Whether ``text`` gives a figure or name whose words ``told`` does not hold."""
    figures, names = specific_parts(text)
    return any(not content_words(fact) <= told for fact in (*figures, *names))
