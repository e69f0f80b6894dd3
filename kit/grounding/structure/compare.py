"""Compare a claim with its quote: every structural check, on the two dependency parses."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kit.grounding.structure.attachments import check_attachments
from kit.grounding.structure.attribution import check_attribution
from kit.grounding.structure.contrast import check_preference
from kit.grounding.structure.copula import check_copulas
from kit.grounding.structure.dates import check_date_order
from kit.grounding.structure.doers import check_added_doers, check_exchanged_doers
from kit.grounding.structure.events import events
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.figures import check_figure_dates, check_figure_events, check_figures
from kit.grounding.structure.hearsay import (
    check_disputed,
    check_elided_hedges,
    check_hearsay,
    check_hedged_figures,
    check_hedged_nouns,
)
from kit.grounding.structure.instructions import check_instructions
from kit.grounding.structure.language import check_language
from kit.grounding.structure.links import check_causal, check_order, check_told_order, links
from kit.grounding.structure.matching import check_event, check_findings
from kit.grounding.structure.nominals import check_nominal_roles
from kit.grounding.structure.obligation import check_obligation
from kit.grounding.structure.parser import parse
from kit.grounding.structure.quantifiers import (
    check_alternatives,
    check_exceptions,
    check_exclusive,
    check_parts,
    check_quantifiers,
    check_superlatives,
)
from kit.grounding.structure.rates import check_rates
from kit.grounding.structure.unrealised import failed_attempts, nominal_modality, presupposed_events
from kit.grounding.structure.views import check_views
from kit.text import keywords


def compare(claim: str, quote: str, passage: str | None = None) -> list[Fault]:
    """Faults where the claim asserts something the quote does not state, read from both parses.
    With the `passage` around the quote, also a doer the quote leaves open (doers.py)."""
    return compare_docs(parse(claim), parse(_unglossed(quote, claim)), passage)


# An editor's gloss in square brackets ("the Council [a group linked to the SDF] and elders work"):
# it tells nothing of the sentence's events, and the small parser loses the sentence's subject in it.
_GLOSS = re.compile(r"\s*\[([^\[\]]{1,200})\]")


def _unglossed(quote: str, claim: str) -> str:
    """The quote without the glosses the claim does not restate (a claim may be the gloss itself:
    "the Council is a political body tied to the SDF")."""
    mine = set(keywords(claim))
    return _GLOSS.sub(lambda m: m.group() if len(mine & set(keywords(m.group(1)))) >= 2 else "", quote)


def compare_docs(c_doc: Doc, q_doc: Doc, passage: str | None = None) -> list[Fault]:
    """compare() on texts already parsed (so a caller can nlp.pipe many pairs)."""
    unread = check_language(c_doc, q_doc)
    if unread:
        return unread  # a parse of another language names no fault that means anything
    cev, qev = events(c_doc), events(q_doc)
    faults: list[Fault] = []
    for c in cev:
        if c.derived:
            continue
        faults.extend(check_event(c, qev))
        faults.extend(nominal_modality(c, q_doc, qev))
    faults.extend(check_findings(c_doc, q_doc))
    faults.extend(check_obligation(c_doc, q_doc))
    faults.extend(presupposed_events(c_doc, q_doc))
    faults.extend(failed_attempts(cev, q_doc, qev))
    faults.extend(check_attribution(c_doc, q_doc, cev, qev))
    faults.extend(check_exchanged_doers(cev, qev))
    faults.extend(check_views(c_doc, q_doc))
    faults.extend(check_nominal_roles(c_doc, q_doc, cev, qev))
    faults.extend(check_quantifiers(c_doc, q_doc))
    faults.extend(check_exceptions(c_doc, q_doc))
    faults.extend(check_alternatives(c_doc, q_doc))
    faults.extend(check_exclusive(c_doc, q_doc))
    faults.extend(check_preference(c_doc, q_doc))
    faults.extend(check_superlatives(c_doc, q_doc))
    faults.extend(check_parts(c_doc, q_doc))
    faults.extend(check_copulas(c_doc, q_doc))
    faults.extend(check_figures(c_doc, q_doc) or check_figure_events(c_doc, q_doc)
                  or check_figure_dates(c_doc, q_doc))
    faults.extend(check_rates(c_doc, q_doc))
    faults.extend(check_attachments(c_doc, q_doc))
    faults.extend(check_instructions(c_doc, q_doc))
    if not any(f.kind == "modality" for f in faults):  # the matched events' hedges name it better
        faults.extend(check_hearsay(c_doc, q_doc) or check_disputed(c_doc, q_doc) or check_hedged_figures(c_doc, q_doc)
                      or check_elided_hedges(q_doc, cev) or check_hedged_nouns(c_doc, q_doc))
    cl, ql = links(c_doc), links(q_doc)
    faults.extend(check_causal(cl, ql))
    order = check_order(cl, ql, one_sentence=len(list(q_doc.sents)) == 1)
    faults.extend(order or check_told_order(cl, ql, q_doc))
    faults.extend(check_date_order(c_doc))
    if passage is not None:
        faults.extend(check_added_doers(cev, qev, passage))
    return list(dict.fromkeys(faults))
