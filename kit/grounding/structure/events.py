"""Events read from a dependency parse: a predicate with its agent and patient (active, passive,
relative and control forms normalised), its negation, certainty, speaker and degree.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.goals import goal_word
from kit.grounding.structure.misparsed import continued_verb, fronted_time, nearer_subject, subject_left_behind
from kit.grounding.structure.verdicts import state_holder, verdict_of
from kit.grounding.structure.words import axis_sides, canon, lemma_of, phrase_of, repair_lemma, resolve


@dataclass(frozen=True)
class Event:
    """A predicate with its participants, normalised from active/passive/relative/control forms."""

    token: Token
    lemma: str
    agent: Token | None
    patient: Token | None
    negated: bool
    level: int  # 3 fact, 2 planned/future, 1 possible/reported
    cue: str  # the word that lowered the level ("may", "plans", "allegedly")
    category: str  # "", "hedge", "plan", "report", "condition", "asked"
    attributed: Token | None  # the speaker, when the event is said by someone
    degree: str  # "", "partly", "almost", "completely"
    derived: bool = False  # made from a converse ("X beat Y" -> "Y lost")

    @property
    def theme(self) -> Token | None:
        """What the event is about: the patient, or the subject of an intransitive verb."""
        return self.patient if self.patient is not None else self.agent

    @property
    def transitive(self) -> bool:
        return self.patient is not None

    def text(self) -> str:
        """The event in the quote's own words (span from first to last participant)."""
        if self.derived:
            return f"{phrase_of(self.agent)} {self.lemma}"
        doc = self.token.doc
        toks = [self.token] + [c for c in self.token.children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
        for p in (self.agent, self.patient):
            r = resolve(p)
            if r is not None:
                toks.extend([r, r.left_edge])
        lo, hi = min(t.i for t in toks), max(t.i for t in toks)
        if hi - lo > 18:
            return (
                f"{phrase_of(self.agent)} {self.token.text} {phrase_of(self.patient) if self.patient else ''}".strip()
            )
        return doc[lo : hi + 1].text


def child(tok: Token, *deps: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def pobj_of(prep: Token | None) -> Token | None:
    return child(prep, "pobj") if prep is not None else None


def toward_verb(tok: Token, steps: int) -> Token:
    """The verb a word's clause hangs on: `tok` itself or up to `steps` heads up (through nouns,
    prepositions, attributes and conjuncts); the last word reached when no verb is that near."""
    for _ in range(steps):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            return tok
        tok = tok.head
    return tok


def is_passive(tok: Token) -> bool:
    """Passive: has nsubjpass/auxpass, or is a past participle modifying a noun ("the bridge destroyed by")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return True
    return tok.dep_ == "acl" and tok.tag_ == "VBN"


def subject_of(tok: Token, depth: int = 0) -> Token | None:
    """Grammatical subject, inherited through control ("X agreed to buy"), coordination, relatives.

    Object control ("asked Y to leave") takes the head's object. Does not handle raising ("seems to"),
    nor subjects of gerunds in prepositions other than "by"/"after"/"before".
    """
    own = nearer_subject(tok, "nsubj", "nsubjpass", "csubj", "expl")
    if (own is None or own.dep_ == "csubj") and (left := subject_left_behind(tok)) is not None:
        return left
    if own is not None:
        return resolve(own) if own.lower_ in lx.RELATIVE_PRONOUNS else fronted_time(own)
    if depth > 4:
        return None
    if tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return tok.head if tok.dep_ == "relcl" or tok.tag_ == "VBG" else None
    if tok.dep_ == "xcomp":
        obj = child(tok.head, "dobj")
        return obj if obj is not None else subject_of(tok.head, depth + 1)
    if tok.dep_ in ("conj", "advcl") or (tok.dep_ == "pcomp" and tok.head.lower_ in ("by", "after", "before")):
        head = tok.head.head if tok.dep_ == "pcomp" else tok.head
        return subject_of(head, depth + 1)
    return None


def roles_of(tok: Token) -> tuple[Token | None, Token | None]:
    """(agent, patient) of a verb: nsubj/dobj in the active, by-phrase/nsubjpass in the passive.

    Not handled: datives and second objects, prepositional objects ("voted for X"), and nominal
    events ("the acquisition of X by Y").
    """
    if is_passive(tok):
        agent = pobj_of(child(tok, "agent")) or _by_under_with(tok)
        patient = nearer_subject(tok, "nsubjpass")
        if patient is None:
            patient = tok.head if tok.dep_ == "acl" else subject_of(tok)
        return agent, resolve(patient)
    if tok.tag_ == "VBN" and child(tok, "agent") is not None:  # ", organised by X, artists will ...": X organised
        return pobj_of(child(tok, "agent")), None
    agent = subject_of(tok)
    patient = child(tok, "dobj")
    if tok.dep_ == "amod" and child(tok, "nsubj") is not None:
        patient = tok.head  # the small model's "The drug [reduced symptoms]" read as a noun phrase
    if patient is None:
        clause = next(
            (c for c in tok.children if c.dep_ in ("ccomp", "xcomp") and any(g.tag_ == "TO" for g in c.children)), None
        )
        if clause is not None and child(clause, "nsubj") is not None:
            patient = child(clause, "nsubj")  # "allowed the protest to go ahead"
    if patient is not None and patient.lower_ in lx.RELATIVE_PRONOUNS:
        patient = resolve(patient)
    elif patient is None and tok.dep_ == "relcl" and agent is not tok.head and not _when_or_where(tok):
        patient = tok.head  # "the goal Lindqvist scored", not "the moment the ward reopened"
    return resolve(agent), patient


# Nouns a relative clause tells the time, place, manner or reason of: "the day the war ended" ends no
# day. Time is still the object of a verb that uses it up ("the hours they spent").
_SETTING_NOUNS = lx.TIME_NOUNS | frozenset({"moment", "time", "night", "morning", "evening", "instant", "place", "way",
                                            "reason"})
_TIME_TAKING = frozenset({"spend", "waste", "take", "lose", "save", "need", "devote", "give", "use", "buy"})


def _when_or_where(verb: Token) -> bool:
    """Whether a relative clause's head noun is when, where, how or why its verb happens."""
    return verb.head.lemma_.lower() in _SETTING_NOUNS and verb.lemma_.lower() not in _TIME_TAKING


def _by_under_with(verb: Token) -> Token | None:
    """The doer of "was presented with a tribute by the families", whose "by" the small parser
    hangs on the "with" object."""
    obj = pobj_of(next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"), None))
    by = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "by"), None) if obj is not None else None
    return pobj_of(by)


def own_negation(tok: Token) -> bool:
    """ "not"/"never" on the verb, or "no" on its subject or object ("found no evidence")."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and any(
            g.dep_ == "det" and g.lower_ in ("no", "neither") for g in c.children
        ):
            return True
        if c.dep_ in ("dobj", "nsubjpass", "nsubj") and c.lower_ in ("nothing", "none", "nobody", "neither"):
            return True
    return False


def speaker_of(head: Token) -> Token | None:
    """Subject (or by-agent) of a reporting verb."""
    s = child(head, "nsubj")
    return s if s is not None else pobj_of(child(head, "agent"))


@dataclass
class Context:
    """What the governing words say about an event: negation, certainty, speaker."""

    negated: bool = False
    level: int = 3
    cue: str = ""
    category: str = ""
    speaker: Token | None = None

    def lower(self, level: int, cue: str, category: str) -> None:
        if level < self.level:
            self.level, self.cue, self.category = level, cue, category


def markers(node: Token, ctx: Context, own: bool, event: Token | None = None) -> None:
    """Modal auxiliaries, hedging adverbs, "if", "possible that" and irrealis modifiers on one node;
    never the `event` itself ("the struggle, planned to last 48 hours": the planning is no plan).

    Does not see hedges outside the event's own clause chain (e.g. a later sentence saying "unconfirmed").
    """
    for c in node.children:
        if c == event:
            continue
        word = c.lower_
        if c.dep_ == "aux" and word == "could" and any(n.dep_ == "neg" for n in node.children):
            continue  # "could not save him": he was not saved, no possibility
        if c.dep_ == "aux" and word in lx.MODAL_AUX and (own or lx.MODAL_AUX[word] == 1 or node.pos_ == "VERB"):
            ctx.lower(lx.MODAL_AUX[word], word, "plan" if lx.MODAL_AUX[word] == 2 else "hedge")
        elif c.dep_ == "advmod" and word in lx.HEDGE_ADV:
            ctx.lower(lx.HEDGE_ADV[word], word, "report" if word in ("reportedly", "allegedly") else "hedge")
        elif c.dep_ == "mark" and word in ("if", "whether", "unless"):
            ctx.lower(1, word, "hedge")
        elif c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            ctx.lower(1, "if", "condition")  # "If we admitted it, we would be flown home": only on that condition
        elif c.dep_ == "acomp" and c.lemma_.lower() in ("possible", "likely", "unlikely", "probable") and not own:
            ctx.lower(1, c.text, "hedge")
        elif c.dep_ in ("amod", "acl") and c.lower_ in lx.IRREALIS_MODIFIERS and node.pos_ in ("NOUN", "PROPN"):
            ctx.lower(
                lx.IRREALIS_MODIFIERS[c.lower_], c.text, "report" if c.lower_ in ("alleged", "suspected") else "plan"
            )


# Prepositions of time whose gerund is an adverbial clause: it keeps its own certainty.
_WHEN = frozenset("before after until till since upon following during".split())
# Adjectives that give what their infinitive names as open to do, not done ("quick to" and "enough to"
# say it was done).
_FREE_TO = frozenset({"free", "able", "capable"})


def governors(tok: Token, ctx: Context) -> None:
    """Walk up from an event through the words that govern it, collecting negation/certainty/speaker.

    Climbs xcomp/ccomp/acl/pcomp/prep links and coordinations without their own subject. Does not
    climb adverbial clauses (except purpose "to X"), so "X may resign after Y fell" leaves "fell" a fact.
    """
    node, hops = tok, 0
    markers(node, ctx, own=True)
    if (goal := goal_word(tok)) is not None:
        ctx.lower(2, goal.text, "plan")  # "Setting an agenda is vital", "are on track to start"
    if (
        node.dep_ == "advcl"
        and any(c.tag_ == "TO" for c in node.children)
        and lemma_of(node) not in lx.RESULT_INFINITIVES
    ):
        ctx.lower(2, "in order to", "plan")
    inside_argument = False  # "refused to bargain over getting them back" does not refuse the getting
    by_noun = False  # reached through a preposition's noun ("agreed to the changes proposed by India")
    while hops < 8 and node.dep_ in ("xcomp", "ccomp", "acl", "pcomp", "prep", "conj", "pobj", "relcl", "advcl"):
        below, link, node, hops = node, node.dep_, node.head, hops + 1
        inside_argument = inside_argument or link in ("pcomp", "pobj")
        by_noun = (link == "pobj" and below.pos_ in ("NOUN", "PROPN")) or (link == "prep" and by_noun)
        if link == "conj" and (child(tok, "nsubj", "nsubjpass") is not None and hops == 1):
            break
        if link == "advcl" or (link == "pcomp" and node.lower_ in _WHEN):
            break  # "...before being finalized" is a time, as "before it is finalized" is
        lemma = repair_lemma(node)
        if link == "relcl":
            break
        if link in ("xcomp", "ccomp", "pcomp", "prep", "acl", "conj") and node.pos_ in ("VERB", "AUX", "ADJ"):
            if link == "xcomp" and lemma in ("be", "have") and any(
                    c.dep_ == "advmod" and c.lower_ == "yet" for c in (*node.children, *below.children)):
                ctx.negated = not ctx.negated  # "are yet to be identified": not identified
            elif lemma in lx.SPEECH_DENY and (link in ("ccomp", "pcomp", "prep")
                                              or (link == "xcomp" and below.tag_ == "VBG")):
                ctx.negated = not ctx.negated  # "denied that they attacked", "denied attacking"
                ctx.speaker = ctx.speaker or speaker_of(node)
            elif lemma in lx.SPEECH and link in ("ccomp", "conj"):
                ctx.speaker = ctx.speaker or speaker_of(node)
                if lemma in lx.SPEECH_DOUBT:
                    ctx.lower(1, node.text, "report")
            elif link == "xcomp" and is_passive(node) and lemma in lx.SPEECH | lx.BELIEF:
                expected = lemma in lx.EXPECTING  # "is expected to": a plan; "is alleged / said / believed to": hearsay
                ctx.lower(2 if expected else 1, node.text, "plan" if expected else "report")
            elif lemma == "accuse" and link in ("prep", "pcomp"):
                ctx.lower(1, node.text, "report")
            elif lemma in lx.EXPECTING and link in ("ccomp", "xcomp"):
                ctx.lower(2, node.text, "plan")  # "expects profits to rise": a forecast, as "said they would rise"
            elif (lemma in lx.FINDING_WEAK and link == "ccomp") or (lemma in lx.BELIEF and link in ("ccomp", "xcomp")):
                ctx.lower(1, node.text, "hedge")
            elif lemma in lx.PLAN_HEADS and link in ("xcomp", "ccomp", "prep", "pcomp") and (
                    lemma != "go" or (link == "xcomp" and node.lower_ == "going")) and (  # "going to", not "went on"
                    lemma not in lx.DIRECTIVES or hops == 1):  # "urged them to make what he called...": "make"
                if not (lemma in ("decide", "vote", "agree") and ctx.negated and link == "xcomp") and not (
                        lemma == "agree" and link == "prep" and by_noun):  # "agreed to the changes": accepted
                    category = "asked" if lemma in lx.DIRECTIVES else "plan"
                    ctx.lower(lx.PLAN_HEADS[lemma], node.text, category)  # "decided not to X": X not done
            elif link == "xcomp" and not inside_argument and (lemma in lx.NEG_IMPLICATIVE or own_negation(node)):
                ctx.negated = not ctx.negated
            elif link == "xcomp" and lemma in _FREE_TO and any(c.tag_ == "TO" for c in below.children):
                ctx.lower(1, node.text, "hedge")  # "free to fight", "able to nurse": may do, not did
            markers(node, ctx, own=False)
        elif node.pos_ in ("NOUN", "PROPN") and link in ("acl", "prep", "pcomp", "pobj"):
            if lemma in lx.IRREALIS_NOUNS:
                ctx.lower(
                    lx.IRREALIS_NOUNS[lemma],
                    node.text,
                    "report"
                    if lemma in ("claim", "allegation", "accusation", "rumour", "rumor", "speculation", "suggestion")
                    else "plan",
                )
                if (
                    lemma in ("claim", "allegation", "accusation", "suggestion", "report")
                    and node.head.lemma_.lower() in lx.SPEECH_DENY
                ):
                    ctx.negated = not ctx.negated
            markers(node, ctx, own=False, event=tok)


def according_to(doc: Doc) -> list[tuple[Token, Token]]:
    """(governing verb, speaker) for each "according to X"."""
    out = []
    for t in doc:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            speaker = pobj_of(doc[t.i + 1])
            if speaker is not None:
                gov = t.head
                out.append((gov, speaker))
    return out


def degree_of(tok: Token) -> str:
    """ "partly"/"almost"/"completely" modifying the event."""
    for c in tok.children:
        if c.dep_ == "advmod" and c.lower_ in lx.PARTIAL_ADV | lx.ALMOST | lx.TOTAL_ADV:
            return c.lower_
    return ""


def is_linking(e: Event) -> bool:
    """A verb that links its subject or object to a state ("left the convoy unscathed", "remained
    untouched"): the state says what happened, not the verb's own sense (leaving, staying)."""
    return e.token.pos_ in ("VERB", "AUX") and any(c.dep_ in ("oprd", "acomp", "attr") for c in e.token.children)


def is_reporting(tok: Token) -> bool:
    """A speech verb introducing a clause ("X said that..."): its content is checked, not the verb."""
    return tok.lemma_.lower() in lx.SPEECH | lx.FINDING_STRONG | lx.FINDING_WEAK | lx.BELIEF and any(
        c.dep_ == "ccomp" for c in tok.children
    )


def predicate_tokens(doc: Doc) -> list[Token]:
    """Verbs, copular predicates ("was a failure", "is safe") and adjectives on an antonym axis.

    Nominal events ("the merger", "talks on a deal") are not events here; see unrealised.nominal_modality.
    """
    out = []
    for t in doc:
        if (
            (
                t.pos_ == "VERB"
                and (t.dep_ not in ("amod", "aux", "auxpass") or child(t, "nsubj") is not None)
                and t.lemma_.lower() not in ("accord",)
            )
            or (t.dep_ in ("acomp", "attr") and t.head.lemma_.lower() in ("be", "prove", "remain", "become"))
            or (t.dep_ == "amod" and axis_sides(t.lemma_.lower()))
            or verdict_of(t) is not None  # "found guilty", "ruled the law unconstitutional"
        ):
            out.append(t)
    return out


def predicate_roles(t: Token) -> tuple[Token | None, Token | None]:
    """Roles for verbs, copular predicates (subject of the copula), verdicts (whom they are said of)
    and adjectives (the noun they modify)."""
    if (verdict := verdict_of(t)) is not None:
        return state_holder(t, verdict), None
    if t.dep_ == "amod" and child(t, "nsubj") is None:
        return t.head, None  # "rising costs": the costs rise
    if t.pos_ == "VERB" and t.dep_ not in ("acomp", "attr"):
        return roles_of(t)
    if t.dep_ in ("acomp", "attr"):
        return subject_of(t.head), None
    return t.head, None


def events(doc: Doc) -> list[Event]:
    """All events of a parsed text, plus converse events ("X beat Y" -> "X win", "Y lose")."""
    according = {gov.i: spk for gov, spk in according_to(doc)}
    out: list[Event] = []
    for t in predicate_tokens(doc):
        if is_reporting(t):
            continue
        anchor = verdict_of(t) or (t.head if t.dep_ in ("acomp", "attr") else t)
        ctx = Context(negated=own_negation(anchor) if anchor is not t else own_negation(t))
        if anchor is not t and any(c.dep_ == "neg" for c in t.children):
            ctx.negated = not ctx.negated
        governors(anchor, ctx)
        if (lead := continued_verb(anchor)) is not None:
            governors(lead, ctx)  # "would cost too much, take too long": "take" as "cost"
        if anchor is not t:
            markers(t, ctx, own=True)
        root = anchor
        while root.dep_ in ("xcomp", "ccomp", "conj") and root.head is not root:
            root = root.head
        ctx.speaker = ctx.speaker or according.get(anchor.i) or according.get(root.i)
        agent, patient = predicate_roles(t)
        lemma = lemma_of(t)
        deg = degree_of(anchor) or (degree_of(t) if anchor is not t else "")
        ev = Event(t, lemma, agent, patient, ctx.negated, ctx.level, ctx.cue, ctx.category, ctx.speaker, deg)
        out.append(ev)
        out.extend(converses(ev))
    return out


def converses(ev: Event) -> list[Event]:
    """ "A beat B" -> "A won", "B lost"; "B lost to A" -> "A beat B". Only for the lexicon.CONVERSES verbs."""
    out = []
    if ev.lemma in lx.CONVERSES and ev.agent is not None and ev.patient is not None:
        win, lose = lx.CONVERSES[ev.lemma]
        out.append(
            Event(ev.token, win, ev.agent, None, ev.negated, ev.level, ev.cue, ev.category, ev.attributed, "", True)
        )
        out.append(
            Event(ev.token, lose, ev.patient, None, ev.negated, ev.level, ev.cue, ev.category, ev.attributed, "", True)
        )
    if ev.lemma in lx.CONVERSES and ev.agent is None and ev.patient is not None:
        # "The rebels were defeated" says the rebels lost, whoever beat them: an event of its own,
        # judged like any other ("the rebels won" says the opposite).
        out.append(Event(ev.token, lx.CONVERSES[ev.lemma][1], ev.patient, None, ev.negated, ev.level, ev.cue,
                         ev.category, ev.attributed, ""))
    if ev.lemma == "lose":
        to = pobj_of(next((c for c in ev.token.children if c.dep_ == "prep" and c.lower_ == "to"), None))
        if to is not None and ev.agent is not None:
            out.append(
                Event(
                    ev.token, "beat", to, ev.agent, ev.negated, ev.level, ev.cue, ev.category, ev.attributed, "", True
                )
            )
    return out


def same_concept(c: Event, q: Event) -> bool:
    """Whether two events are told by the same verb or by verbs of one synonym group."""
    return canon(c.lemma) == canon(q.lemma) or c.lemma == q.lemma
