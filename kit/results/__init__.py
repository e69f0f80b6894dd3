"""What kit's commands return: answers, checked texts, topics and topic summaries, each a list of claims.

One contract flows from here to every surface: claims with verdicts and judged citations, the
shown ones apart from those listed under "not supported by the sources". Text and HTML rendering
live in `kit.report`, the one renderer; the building blocks (Citation, Claim, ...) in `kit.types`.
"""

from __future__ import annotations

from kit.results.answer import Answer
from kit.results.check import CheckResult
from kit.results.claims import ClaimsResult, all_citations, claim_from_dict
from kit.results.topics import Summaries, Topic, Topics, TopicSummary

__all__ = ["Answer", "CheckResult", "ClaimsResult", "Summaries", "Topic", "TopicSummary", "Topics", "all_citations",
           "claim_from_dict"]
