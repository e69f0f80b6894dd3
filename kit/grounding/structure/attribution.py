"""Who says it: the speakers of the claim ("X said", "according to X") against the quote's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.events import Event, according_to, is_reporting, speaker_of
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.matching import best_match, same_concept
from kit.grounding.structure.words import Same, acronym_of, is_name, phrase_of, resolve, same
from kit.grounding.wording import capital_of, demonym_match, same_nation


def speakers_of(doc: Doc) -> list[Token]:
    """Subjects of speech verbs that introduce a clause, and X of "according to X"."""
    return [spk for _, spk in according_to(doc)] + [spk for _, spk in reports(doc)]


def reports(doc: Doc) -> list[tuple[Token, Token]]:
    """(speech verb, its speaker) for each speech verb of `doc` that introduces a clause."""
    out = []
    for t in doc:
        if t.lemma_.lower() in lx.SPEECH and t.pos_ == "VERB" and any(c.dep_ == "ccomp" for c in t.children):
            s = speaker_of(t)
            if s is not None:
                out.append((t, s))
    return out


def speaker_words(tok: Token) -> tuple[frozenset[str], bool]:
    """Identifying lemmas of a speaker phrase (whole phrase minus generic words), and whether it names."""
    toks = [t for t in tok.subtree if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in lx.GENERIC_NOUNS]
    # a capitalised word also as written: the small parser may read "Thucydides" as a plural noun
    words = frozenset(t.lemma_.lower() for t in toks) | {t.lower_ for t in toks if t.text[:1].isupper()}
    return words | {w.replace(".", "") for w in words if "." in w}, any(is_name(t) for t in toks)  # "U.N." is "UN"


def same_speaker(a: Token, b: Token) -> Same:
    """Speakers match if their identifying words overlap; generic ("officials") or name-vs-title is unknown."""
    if resolve(a) is None or resolve(b) is None:
        return Same.UNKNOWN
    wa, na = speaker_words(a)
    wb, nb = speaker_words(b)
    if not wa or not wb:
        return Same.UNKNOWN
    if wa & wb or any(demonym_match(x, y) for x in wa for y in wb if min(len(x), len(y)) >= 4 or same_nation(x, y)):
        return Same.YES  # "the Iranians" said what "Iran" said
    if acronym_of(a, b) or acronym_of(b, a):
        return Same.YES  # "the UN" said what "the United Nations" said
    if any(capital_of(x, y) or capital_of(y, x) for x in wa for y in wb):
        return Same.YES  # "Tehran" said what "Iran" said
    if na != nb and (wa | wb) & lx.ROLE_NOUNS:
        return Same.UNKNOWN  # "Osei" vs "the finance minister": may be one person
    return Same.OTHER


def check_attribution(claim: Doc, quote: Doc, cev: Sequence[Event], qev: Sequence[Event]) -> list[Fault]:
    """Each speaker of the claim against the speaker of the matching quote event, else of the quote.

    Not handled: speakers named only in an earlier sentence, "in a statement" without a subject,
    and a quote that is itself the speaker's own words (a press release) with no attribution.
    """
    faults: list[Fault] = []
    quote_speakers = speakers_of(quote)
    quote_words = {t.lemma_.lower() for t in quote}
    speakers = quote_speakers or _speakers_misread(quote)  # for a speaker and a doer trading places
    for spk in speakers_of(claim):
        linked = [
            b[0].attributed
            for c in cev
            if c.attributed is spk
            for b in [best_match(c, qev)]
            if b is not None and b[1].consistent and b[0].attributed is not None
        ]
        swapped = _speaker_and_doer_swapped(spk, cev, qev, speakers)
        if swapped is not None:
            speaker, q = swapped
            faults.append(Fault("roles", f'roles reversed: the quote has "{phrase_of(speaker)}" say that '
                                         f'"{q.text()}"'))
            continue
        others = linked or _closest_report(spk, claim, quote) or quote_speakers
        if not others:
            words, _ = speaker_words(spk)
            if words and not words & quote_words and not any(same_nation(w, q) for w in words for q in quote_words):
                faults.append(Fault("attribution", f'the quote does not attribute this to "{np_text_full(spk)}"'))
            continue
        verdicts = [same_speaker(spk, o) for o in others]
        if Same.YES not in verdicts and Same.OTHER in verdicts:
            other = others[verdicts.index(Same.OTHER)]
            faults.append(
                Fault("attribution", f'the quote attributes this to "{np_text_full(other)}", not "{np_text_full(spk)}"')
            )
    return faults


_CONTENT = frozenset({"NOUN", "PROPN", "NUM", "VERB", "ADJ"})


def _voices(doc: Doc) -> list[tuple[Token, frozenset[str]]]:
    """(speaker, content lemmas of what it says) for each "X said that ...", "X estimates that ..."
    and "according to X" of `doc`."""
    out = [(s, _lemmas(_said(v))) for v in doc
           if v.pos_ == "VERB" and is_reporting(v) and (s := speaker_of(v)) is not None]
    for gov, s in according_to(doc):
        aside = set(s.head.head.subtree)  # "according to X" itself
        out.append((s, _lemmas(t for t in gov.subtree if t not in aside)))
    return out


_ASIDE = frozenset({"while", "whereas", "although", "though"})


def _said(verb: Token) -> list[Token]:
    """The words of the clause a verb of saying introduces, less a clause set against it ("..., while
    it is estimated that ...") and what another verb of saying inside it introduces."""
    said = [t for c in verb.children if c.dep_ == "ccomp" for t in c.subtree]
    aside = {t for u in said if is_reporting(u) or (u.dep_ == "advcl" and any(m.lower_ in _ASIDE for m in u.children))
             for t in u.subtree}
    return [t for t in said if t not in aside]


def _lemmas(tokens: Iterable[Token]) -> frozenset[str]:
    return frozenset(t.lemma_.lower() for t in tokens if t.pos_ in _CONTENT and not t.is_stop)


def _closest_report(spk: Token, claim: Doc, quote: Doc) -> list[Token]:
    """When the quote gives words to several speakers ("X speculated that ..., and Y said that ...",
    "... according to X. Y estimates that ..."), the one whose clause shares the most words with
    what the claim has `spk` say, when it shares at least twice as many as any other; none when the
    claim's clause is unknown or no speaker is clearly the closest."""
    said = next((words for s, words in _voices(claim) if s == spk), frozenset())
    heard = _voices(quote)
    if not said or len(heard) < 2:
        return []
    shared = sorted(((len(said & words), n) for n, (_, words) in enumerate(heard)), reverse=True)
    (best, at), (second, _) = shared[0], shared[1]
    if best < 2 * max(second, 1):
        return []  # no clear closest: any of them may be the one
    return [heard[at][0]]


def _speaker_and_doer_swapped(spk: Token, claim_events: Sequence[Event], qev: Sequence[Event],
                              quote_speakers: Sequence[Token]) -> tuple[Token, Event] | None:
    """"The Council announced that the coalition evacuates civilians" from "a spokesman for the
    coalition announced that the Council evacuates civilians": (the quote's speaker, its event) when
    the quote's event of the same deed has the claim's speaker for its doer, and is said by a
    speaker whose words hold a name of the claim's doer."""
    for c in claim_events:
        doer = resolve(c.agent)
        if doer is None or same(doer, spk) is Same.YES:
            continue
        named = {t.lemma_.lower() for t in doer.subtree if is_name(t)}  # "US-led coalition": US
        for q in qev:
            if not same_concept(c, q) or same(q.agent, spk) is not Same.YES:
                continue
            for speaker in [q.attributed] if q.attributed is not None else quote_speakers:
                if named & speaker_words(speaker)[0]:
                    return speaker, q
    return None


def _speakers_misread(doc: Doc) -> list[Token]:
    """Speakers of speech verbs the small parser hung on a noun ("a spokesman for the coalition
    announced that ...", read as "the coalition [which was] announced"): the noun."""
    return [t.head for t in doc if t.lemma_.lower() in lx.SPEECH and t.dep_ == "acl"
            and any(c.dep_ == "ccomp" for c in t.children)]


def np_text_full(t: Token) -> str:
    return t.doc[t.left_edge.i : t.right_edge.i + 1].text
