"""English beside the original: which statements' words are not in English, and their English
renderings (translations.csv), so a reader can check every quote and no quote goes untranslated.

The ledger keeps the original verbatim; a rendering is marked as the outlet's own English or the
project's translation. A quote that does not look English and has no rendering is a problem the
loader reports, like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from isf_tracker.problems import Problem
from isf_tracker.schema import TranslatedBy, TranslatedField, Translation

#: Short English words that other languages written in Latin letters rarely use as words
#: ("a", "in", "per", "do" are left out: Italian, Indonesian and Albanian use them).
ENGLISH_WORDS = frozenset(
    ("the", "and", "of", "to", "we", "is", "will", "not", "be", "our", "that", "with", "for", "this", "are",
     "has", "have", "it", "on", "there", "should", "which", "from", "they", "would", "been", "was", "its",
     "all", "as", "by", "at", "if", "you", "my", "us", "can", "no", "or", "more", "than", "up", "about",
     "around", "least", "only", "even", "troops", "officers", "personnel", "soldiers")
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")

MISSING = (
    "is not in English and translations.csv gives no English for it: add a row with the "
    "statement_id, the field, the language and the English"
)
Renderings = Mapping[tuple[str, str], Translation]  # (statement_id, field) -> its English


def add_english(positions: pd.DataFrame, renderings: Renderings) -> pd.DataFrame:
    """Positions with `troops_in_english`: the English of each country's troop figure in words,
    where its statement's words have a rendering (the original stays in `troops_as_stated`)."""
    english = [
        rendering.english if (rendering := renderings.get((sid, "troops_as_stated"))) is not None else None
        for sid in positions["troops_from"]
    ]
    return positions.assign(troops_in_english=english)


def looks_english(text: str) -> bool:
    """Whether `text` reads as English: written in Latin letters and using English's small words.
    Two words or fewer, or no letters at all ("4", "8.000"), are taken as they are."""
    if any(c.isalpha() and ord(c) > 0x24F for c in text):  # beyond Latin Extended-B
        return False
    found = _WORD.findall(text.lower())
    return len(found) <= 2 or any(word in ENGLISH_WORDS for word in found)


def credit(rendering: Translation) -> str:
    """Whose English it is, as the reader is told: "the outlet's English", "our translation"."""
    return "the outlet's English" if rendering.translated_by is TranslatedBy.OUTLET else "our translation"


def untranslated(statements: pd.DataFrame, renderings: Renderings, file: str) -> list[Problem]:
    """Each non-English quote or figure in words that has no English rendering."""
    found = [
        Problem(file, line, field, text, MISSING)
        for field in map(str, TranslatedField)  # the fields whose words are rendered
        for statement_id, line, text in zip(
            statements["statement_id"], statements["line"].tolist(), statements[field], strict=True
        )
        if isinstance(text, str) and not looks_english(text) and (statement_id, field) not in renderings
    ]
    return sorted(found, key=lambda problem: problem.line or 0)
