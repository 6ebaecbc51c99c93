"""Verdicts for ``briefer explain``: why each text of the edition fared as it did.

Every candidate's entry, pending until the memo is filled, gets its final
verdict: kept (where), told by another text of its story, or left out and
why. Entries already decided (a sentence that cannot stand alone, an item
on no topic) are kept as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..models import BOTTOM_LINE, Decision
from ..rules import Rules
from .fill import Filled
from .questions import Question
from .rank import Ranked


def verdicts(
    entries: Sequence[Decision],
    stories: Sequence[Ranked],
    filled: Filled,
    asked: Sequence[Question],
    rules: Rules,
) -> tuple[Decision, ...]:
    """``entries`` with every pending one decided (see the module docstring).

    A text shown among the open questions says so, and why it was taken,
    whatever it was before (a clause of a sentence that could not be a bullet).
    """
    keys = rules.keys
    asks = rules.questions_section
    questions = {
        (asked[n].sources[0].key, asked[n].index): asked[n] for n in filled.questions
    }
    kept: dict[tuple[str, int], tuple[str, bool]] = {}  # text -> (section key, detail)
    for k, numbers in filled.sections:
        for n in numbers:
            bullet = stories[n].bullet
            kept[(bullet.origin.key, bullet.index)] = (keys[k], False)
            for detail in filled.details.get(n, ()):
                kept[(detail.origin.key, detail.index)] = (keys[k], True)
    lines = {
        (stories[n].shown_line.origin.key, stories[n].shown_line.index) for n in filled.bottom_line
    }
    verdict: dict[tuple[str, int], tuple[str, bool, float, str]] = {}
    for story in stories:
        n = story.number
        for candidate in story.story.candidates:
            ident = (candidate.origin.key, candidate.index)
            section = keys[candidate.section]
            if ident in kept:
                where, detail = kept[ident]
                what = "a detail of story" if detail else "story"
                why = f"kept: section '{where}' ({what} {n})"
                if n in filled.held and not detail:
                    why += f"; {filled.held[n]}"
                verdict[ident] = (why, True, story.weight, where)
            elif ident in lines:
                why = f"kept: bottom line (story {n}, '{keys[story.section]}')"
                verdict[ident] = (why, True, story.weight, BOTTOM_LINE)
            elif n in filled.left_out:
                verdict[ident] = (filled.left_out[n], False, story.weight, section)
            elif n in filled.held and candidate is story.shown_line:
                verdict[ident] = (filled.held[n], False, story.weight, BOTTOM_LINE)
            else:
                where = f"{story.bullet.origin.key}#{story.bullet.index}"
                how = " (grouped by meaning)" if story.story.by_meaning else ""
                verdict[ident] = (f"same story as {where}{how}", False, story.weight, section)
    out = []
    for entry in entries:
        question = questions.get((entry.article_key, entry.sentence_index))
        if question is not None and asks is not None and not question.figures:
            out.append(replace(entry, reason=f"kept: open questions ({question.why})",
                               kept=True, score=round(question.weight, 3),
                               section=keys[asks], pending=False))  # fmt: skip
            continue
        found = verdict.get((entry.article_key, entry.sentence_index))
        if found is None or not entry.pending:
            out.append(entry)
            continue
        reason, is_kept, weight, section = found
        out.append(replace(entry, reason=reason, kept=is_kept, score=round(weight, 3),
                           section=section, pending=False))  # fmt: skip
    return tuple(out)
