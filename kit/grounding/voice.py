"""A claim that names the document itself as its speaker ("The article says ...", "According to the
report, ...", "One commenter wrote that ...", "..., the article says."): what it asserts is the
rest, which the quote must say; the frame is no speaker the quote has to name, nor words it has to
repeat."""

from __future__ import annotations

import re

# What a reader calls the document, or a part of it, when saying what it says.
_DOCUMENT = (r"(?:article|story|report|text|passage|author|writer|post|piece|page|document|commenter|comment|"
             r"reader|blogger|blog|column|columnist|editorial|paragraph|headline|source text)")
# A lower-case word before it ("the news article", "one commenter"), or whose headline it is.
_WHICH = r"(?:the|this|that|one|a|an|another)\s+(?:(?-i:[a-z]+)\s+)?" + _DOCUMENT + r"(?:'s\s+(?:headline|title))?"
_SAYS = (r"(?:also\s+)?(?:says|said|writes|wrote|notes|noted|reports|reported|states|stated|argues|argued|claims|"
         r"claimed|suggests|suggested|explains|explained|adds|added|mentions|mentioned|observes|observed|"
         r"points out|pointed out|worries|worried|describes|described|recounts|recounted|highlights|highlighted|"
         r"discusses|discussed|emphasi[sz]es|emphasi[sz]ed|stresses|stressed)(?:\s+that)?")
_FRAMES = (
    re.compile(rf"^(?:according to|as|in|per)\s+{_WHICH}\s*,\s*", re.IGNORECASE),
    re.compile(rf"^{_WHICH}\s+{_SAYS}\s*,?\s*", re.IGNORECASE),
)
# The same frame closing the claim: "..., according to the article." / "..., the report says."
_CLOSING = re.compile(rf"\s*,\s*(?:(?:according to|as|per)\s+{_WHICH}(?:\s+{_SAYS})?|{_WHICH}\s+{_SAYS})"
                      rf"\s*(?=[.!]?[\"'”’]?\s*$)", re.IGNORECASE)


def unframed(claim: str) -> str:
    """`claim` without a leading frame that names the document as its speaker; `claim` itself
    when it has none, or when nothing would be left."""
    for frame in _FRAMES:
        m = frame.match(claim.lstrip())
        if m is not None:
            rest = claim.lstrip()[m.end():]
            if len(rest.split()) >= 3:
                return rest[:1].upper() + rest[1:]
    m = _CLOSING.search(claim)
    if m is not None and len(claim[:m.start()].split()) >= 3:
        return claim[:m.start()] + claim[m.end():]
    return claim
