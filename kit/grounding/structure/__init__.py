"""Does a quote state what a claim asserts? A structural check on two dependency parses.

`compare.compare(claim, quote)` parses both texts with a spaCy English pipeline (en_core_web_sm 3.8)
and returns the `Fault`s it can name, each with a kind and a reason a person can read:

- roles: an event of the claim (verb) found in the quote with the same lemma or a listed synonym has
  its agent and patient swapped ("Y beat X" for "X beat Y"); active/passive are normalised first;
  or a claim "X is Y" pairs the sides of two different "X is Y" facts of the quote (copula.py);
  or the claim prefers what the quote sets aside ("A rather than B", contrast.py); or the claim names
  a doer the quote's passive leaves open and its passage does not give (doers.py, read by the judge
  with the passage); or two doers trade events ("the army allowed ... areas the coalition holds"
  from "the coalition allowed ... areas the army holds", doers.py). Subjects the small parser
  misplaces are read back first (misparsed.py).
- attribution: the claim's speaker ("X said", "according to X") differs from the quote's.
- polarity: negation differs, or claim and quote use opposite words (lexicon.AXES) or other outcomes
  of one kind of event (lexicon.CONTRASTS) of one participant, or a verb no sense of which names the
  quote's event with the same participants (predicates.py, senses.py: WordNet 3.0), or the claim
  asserts of a thing what the quote says "except" of it.
- modality: the quote has the event as possible / planned / reported / under talks; the claim as fact;
  or the claim sits inside an imperative of the quote ("answer that ...", instructions.py).
- quantifier: the claim says all/every/most where the quote says some/part/several, or partly; or
  "only X" where the quote gives X and more.
- causal: the claim links two things with because/due to/led to/so... and the quote does not.
- time: before/after inverted, or the matched events carry different dates.

An empty list means "no structural fault found", not "supported": word coverage, numbers and
names are the rest of the kit's job. Everything rests on the parser and on the hand lists of
lexicon.py; what each step does not handle is said in its docstring.
"""

from kit.grounding.structure.parser import without_torch

with without_torch():  # the check's modules import spaCy's types at load: hide torch from that first import
    import spacy  # noqa: F401
