"""Which of a claim's words a quote says in other words: the same lemma ("withdrew" / "withdrawn"),
a derivation ("negotiating" / "negotiations", "successful" / "success"), or a listed synonym
("portion" / "part", "founded" / "established").

The support judge counts a claim's content words found in its quote (`support.Judge._coverage`);
spelling alone misses irregular verbs and paraphrase. `Equivalents(quote).covers(lemmas)` answers
for one claim word, given its lemmas from the claim's parse (`lemmas_by_word`). Both texts are read
through the structural check's spaCy parse (cached per text).

What this does not do: judge meaning. A synonym found only makes a word count as present; roles,
polarity, modality and numbers are still checked elsewhere. Antonyms are never grouped (the groups of
`structure.lexicon` keep to one side of each antonym axis, and so do the ones here). Words outside
the lists and the derivational suffixes are matched by spelling only, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.parser import parse

# Synonyms for word coverage, beside the event groups of the structural lexicon: common news wording,
# each group within one sense. A group names things, not degrees ("major" and "minor" never share one).
_GROUPS = tuple(frozenset(g.split(",")) for g in (
    "part,portion,section,share",
    "found,establish,create,set up",
    "give,grant,award,provide,hand",
    "try,attempt,seek,bid",
    "fighter,militant,insurgent,rebel,combatant,gunman",
    "fire,launch",
    "soldier,troop,serviceman",
    "continue,remain,still,keep",
    "insist,maintain",
    "schedule,set,due",
    "travel,head,go,journey,move",
    "link,tie,connect,associate",
    "emerge,appear,surface",
    "conduct,hold,carry out,stage",
    "fight,battle,combat,clash",
    "stronghold,redoubt,bastion",
    "call,summon",
    "result,stem,arise,originate",
    "talk,negotiation,discussion,negotiate,discuss",
    "pledge,promise,commit,vow",
    "want,wish,seek",
    "country,nation",
    "agreement,deal,accord,pact",
    "significant,considerable,substantial",
    "area,region,zone",
    "people,person,individual",
    "whole,entire",
    "quick,rapid,fast,swift",
    "say,tell,state,add,note,declare,remark",
    "near,close",
    "major,big,large",
    "because,due",
    "use,utilize,utilise,employ",
    "multiple,several,many,numerous",
    "mistake,error",
    "aim,goal,target,objective",
    "meeting,conference,summit",
    "death,die,dead,kill,perish",  # "were killed" / "died": who killed is the roles check's to judge
    "detain,detention,detainee",
    "decide,decision",
    "destroy,destruction",
    "explode,explosion",
    "grow,growth",
    "deny,denial",
    "fly,flight",
    "speak,speech",
    "strong,strength",
    "long,length",
    "win,victory,victorious",
    "begin,beginning,start",
    "choose,choice",
    "lose,loss",
    "free,release,liberate",
    "seize,capture,detain",
    "suspend,freeze,halt",
    "next,following,subsequent",
    "refund,repay,reimburse,return,give back,hand back,pay back",
    "phone,call,telephone,ring",
    "broadcast,air,televise,screen",
    "restate,reaffirm,reiterate,repeat",
    "supply,provision",
    "rehearse,rehearsal,practise,practice,dry run",
    "question,interrogate,quiz",
    "injure,wound,hurt",
    "blast,explosion,explode,detonate,detonation",
    "bomb,explosive",
    "resign,quit,step down",
    "investigation,inquiry,probe,investigate",
    "official,authority",
    "police,detective,officer",
    "footage,video,film",
    "photo,photograph,picture,image",
    "victim,casualty",
    "ban,prohibit,outlaw,bar",
    "end,finish,conclude",
    "chief,head,leader",
))
_CEASED = frozenset({"stop", "cease", "quit", "halt"})
# Words of opposite sense that word vectors put close ("cheaper" / "expensive" 0.81, "east" /
# "west" 0.79): a claim word the quote does not say, whose opposite it says, is the claim saying
# the opposite. Verbs and adjectives of events have their axes in `structure.lexicon.AXES`. Words of
# one relation seen from its two ends (husband / wife, buyer / seller, winner / loser) are no
# opposites: "she and her husband" restates "the wife of X"; a swap of them is the roles check's.
_OPPOSITES = tuple(tuple(pair.split("/")) for pair in """
cheap/expensive cheap/costly east/west north/south eastern/western northern/southern northeast/southwest
northwest/southeast day/night daylight/darkness daytime/night light/dark dawn/dusk man/woman male/female boy/girl
father/mother son/daughter brother/sister high/low upper/lower early/late earlier/later first/last
minimum/maximum young/old junior/senior inside/outside internal/external indoor/outdoor domestic/foreign
public/private majority/minority rich/poor wealthy/poor large/small big/small long/short wide/narrow full/empty
hot/cold warm/cold wet/dry heavy/light fast/slow easy/difficult easy/hard modern/ancient urban/rural past/future
import/export arrival/departure arrive/depart enter/exit ally/enemy friend/foe friend/enemy
offensive/defensive upstream/downstream uphill/downhill top/bottom front/rear plus/minus positive/negative
optimistic/pessimistic calm/violent peaceful/violent legal/illegal official/unofficial formal/informal
temporary/permanent partial/total partial/complete partly/fully partly/completely rise/fall increase/decrease
gain/loss profit/loss surplus/deficit inbound/outbound incoming/outgoing slightly/significantly slightly/heavily
slightly/severely slightly/seriously slightly/badly slight/significant slight/serious slight/severe minor/major
mild/severe mildly/severely lightly/heavily developing/developed developing/industrialized
developing/industrialised developing/industrial""".split())
TURNING = frozenset({"less", "least", "not", "no", "never", "hardly", "barely", "nor", "neither"})
_OPPOSITE_OF: dict[str, frozenset[str]] = {}
for _a, _b in _OPPOSITES:
    _OPPOSITE_OF[_a] = _OPPOSITE_OF.get(_a, frozenset()) | {_b}
    _OPPOSITE_OF[_b] = _OPPOSITE_OF.get(_b, frozenset()) | {_a}


def said_opposite(lemmas: Iterable[str], quote: Equivalents) -> str | None:
    """The quote's word of opposite sense to a claim word with these `lemmas`, when the quote says
    one ("darkness" for "daylight", "expensive" for "cheaper"); None otherwise."""
    for lemma in sorted(lemmas):  # sets: read in one order, so a run names the same word as the last
        for other in sorted(_OPPOSITE_OF.get(lemma.lstrip("="), ())):
            found = next((w for w in sorted(quote.common - quote.lessened)
                          if w == other or (len(w) > _MIN_BASE and derived(other, w))), None)
            if found is not None:
                return found
    return None


_PLANNED = frozenset({"plan", "schedule"})


def _be_to(t: Token) -> bool:
    """ "is to" with a verb after it ("are to be flown", "is to visit"): what is arranged to happen."""
    doc = t.doc
    return (t.lemma_ == "be" and t.i + 2 < len(doc) and doc[t.i + 1].lower_ == "to"
            and doc[t.i + 2].tag_ == "VB")


_GROUPS_OF: dict[str, frozenset[str]] = {}
for _i, _g in enumerate((*lx.SYNONYM_GROUPS, *_GROUPS)):
    for _w in _g:
        _GROUPS_OF[_w] = _GROUPS_OF.get(_w, frozenset()) | {f"{_i}"}

# A suffix that makes a noun, adjective or adverb of a word without changing what it names.
# Agent nouns (-er, -or) are left out: "kill" and "killer" are not the same claim.
_SUFFIXES = frozenset("ion tion ation ition sion ment ness ity ful ry ery al ial ance ence ive ly ally ic ure "
                      "ing ed s es ward wards".split())
_MIN_BASE = 4  # "arm" / "army", "part" / "party": shorter bases join unrelated words


def derived(a: str, b: str) -> bool:
    """One lemma is the other plus a derivational suffix ("reduce" / "reduction", "weapon" /
    "weaponry", "commit" / "commitment"); a final e of the shorter may drop."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    base = short[:-1] if short.endswith("e") else short
    if len(base) < _MIN_BASE or not long_.startswith(base):
        return False
    return long_[len(base):] in _SUFFIXES or long_[len(short):] in _SUFFIXES


def groups(lemma: str) -> frozenset[str]:
    """The synonym groups a lemma belongs to (none for a word outside the lists)."""
    return _GROUPS_OF.get(lemma, frozenset())


class Equivalents:
    """A text's lemmas and synonym groups, to ask whether it says a claim word in other words."""

    def __init__(self, text: str) -> None:
        doc = parse(text)
        words = [t for t in doc if t.is_alpha]
        common = [t for t in words if t.pos_ != "PROPN"]  # "State" of "Islamic State" is not "say"
        lemmas = {t.lemma_.lower() for t in common} | {t.lower_ for t in words}
        lemmas |= {form for t in common for form in with_particles(t)}
        if "no longer" in doc.text.lower() or "not any longer" in doc.text.lower():
            lemmas |= _CEASED  # "is no longer counting" says "stopped counting"
        if any(_be_to(t) for t in doc):
            lemmas |= _PLANNED  # "more than 100 sorties are to be flown" says they are planned
        self.lemmas = frozenset(lemmas)
        # Derivations only from common words: "statement" is not said by the "State" of "Islamic State"
        self.common = frozenset(t.lemma_.lower() for t in common) | {t.lower_ for t in common}
        self.plain = common_words(text)
        # Words a diminisher or negation turns ("less costly", "not expensive"): not their own sense.
        self.lessened = frozenset(w for t in common if t.i > 0 and doc[t.i - 1].lower_ in TURNING
                                  for w in (t.lemma_.lower(), t.lower_))
        self.groups = frozenset(g for lemma in lemmas - {t.lower_ for t in words if t.pos_ == "PROPN"}
                                for g in groups(lemma))

    def covers(self, lemmas: Iterable[str]) -> bool:
        """Whether the text has one of `lemmas`, a derivation of one, or a synonym. A lemma marked
        with a leading "=" (a proper noun's) must be there as written."""
        for lemma in lemmas:
            if lemma.startswith("="):
                if lemma[1:] in self.lemmas:
                    return True
                continue
            if groups(lemma) & self.groups or lemma in self.lemmas:
                return True
            if len(lemma) > _MIN_BASE and any(derived(lemma, q) for q in self.common if q[:3] == lemma[:3]):
                return True
        return False


@lru_cache(maxsize=512)
def equivalents(text: str) -> Equivalents:
    """`Equivalents(text)`, read once per text (the opposites check and the word check both ask)."""
    return Equivalents(text)


# Verbs that only say what a thing is called or taken for ("the company now called KPN", "regarded
# as the father of"): a claim that adds one states no more than the quote (it states less).
_NAMING = frozenset("call name know regard consider describe see view dub term".split())


def naming_words(text: str) -> dict[str, tuple[str, ...]]:
    """The words of `text` that are such a verb, each with the words of the name or role it gives
    ("called" -> ("KPN",)): one of _NAMING with "as" or a predicate after it and no object of its own
    ("called him a traitor" names an act, not a name). The verb is only as good as those words."""
    out: dict[str, tuple[str, ...]] = {}
    for t in parse(text):
        deps = {c.dep_ for c in t.children}
        given = [c for c in t.children if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")]
        if t.lemma_.lower() in _NAMING and t.pos_ == "VERB" and "dobj" not in deps and given:
            out[t.lower_] = tuple(w.text for g in given for w in g.subtree if w.is_alpha and not w.is_stop)
    return out


def common_words(text: str) -> frozenset[str]:
    """The lower-cased words of `text` whose meaning another word may carry: no name (a proper noun,
    or a capital letter inside a sentence: "Shia", "Islamic"), figure or ordinal ("seventeenth" is
    not "eighteenth" however alike they read), stop word or word of two letters."""
    return frozenset(t.lower_ for t in parse(text)
                     if t.is_alpha and t.pos_ != "PROPN" and (t.is_lower or t.is_sent_start)
                     and not t.like_num and not t.is_stop and len(t) > 2)


# Particles the parser may read as adverbs ("pulled back" with "back" an advmod).
_PARTICLES = frozenset({"back", "out", "off", "up", "down", "away"})


def with_particles(t: Token) -> set[str]:
    """A verb's lemma with its particle ("pull out"), also one the parser read as an adverb right
    after it ("pulled back")."""
    return {f"{t.lemma_.lower()} {c.lower_}" for c in t.children
            if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in _PARTICLES and c.i == t.i + 1)}


def lemmas_by_word(text: str) -> dict[str, frozenset[str]]:
    """Each lower-cased word of `text` with its lemmas as the parse reads it there (with a verb's
    particle: "pull out"), and the word itself; a proper noun only as written, marked "=name"."""
    out: dict[str, set[str]] = {}
    for t in parse(text):
        if not t.is_alpha:
            continue
        if t.pos_ == "PROPN":
            out.setdefault(t.lower_, set()).add(f"={t.lower_}")
            continue
        forms = {t.lower_, t.lemma_.lower()}
        forms |= with_particles(t)
        out.setdefault(t.lower_, set()).update(forms)
    return {w: frozenset(f) for w, f in out.items()}
