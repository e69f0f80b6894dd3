"""Sentence splitting (kit.text.sentences): what ends a sentence and what does not."""

from __future__ import annotations

import pytest

from kit.text import sentences


@pytest.mark.parametrize(("text", "expected"), [
    # words an editor left out, in brackets, are no sentence end: the quote is one sentence
    ('The Commission said: "The [...] conference [...] must agree on talks." It ended.',
     ['The Commission said: "The [...] conference [...] must agree on talks."', "It ended."]),
    ("Wait (...) here. Next.", ["Wait (...) here.", "Next."]),
    # an ellipsis before a lower-case word is a pause; before a capital it may end the sentence
    ("He said ... it would rain. Next one.", ["He said ... it would rain.", "Next one."]),
    ("It rained... Then it stopped.", ["It rained...", "Then it stopped."]),
    # an abbreviation is no sentence end
    ("Dr. Smith left at 5 p.m. on Monday. She returned.", ["Dr. Smith left at 5 p.m. on Monday.", "She returned."]),
    ("Gen. Ray met Lt. Col. Day on Sept. 12 in Springfield, Ill. at noon. He left.",
     ["Gen. Ray met Lt. Col. Day on Sept. 12 in Springfield, Ill. at noon.", "He left."]),
    ("He met J. R. Ewing. Then he left.", ["He met J. R. Ewing.", "Then he left."]),
    ("A court martial found Army Spc. Charles Graner guilty. Pfc. Lynndie England was next.",
     ["A court martial found Army Spc. Charles Graner guilty.", "Pfc. Lynndie England was next."]),
    # a short capitalised word is no abbreviation for its length: a place often ends a sentence
    ("Oil prices rose in the Middle East. Saudi Arabia spent more.",
     ["Oil prices rose in the Middle East.", "Saudi Arabia spent more."]),
    ("The ships sailed to Iran. Talks began in Rome. Both sides met.",
     ["The ships sailed to Iran.", "Talks began in Rome.", "Both sides met."]),
])
def test_sentence_ends(text: str, expected: list[str]) -> None:
    found = sentences(text)
    assert [s.text for s in found] == expected
    assert all(text[s.start:s.end] == s.text for s in found)
