"""Hand-made word lists for structure.py (lemmas, lower case; phrasal verbs as "verb particle").

Deliberately small: each list covers common news wording, not the language. A word missing here
is simply not recognised (no fault is raised for it), so gaps cost recall, not precision.
"""

from __future__ import annotations

from kit.text import MONTH_NAMES

# Verbs (and a few nouns) that name the same event: matched as one "concept".
SYNONYM_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(g.split(","))
    for g in (
        "buy,purchase,acquire,snap up,take over",
        "sell,offload,divest",
        "beat,defeat,overcome,thrash,rout,outplay,overpower,edge",
        "win,clinch,secure",
        "lose",
        "sack,fire,dismiss,oust,axe",
        "hire,recruit,appoint,employ",
        "sign,ink",
        "criticize,criticise,condemn,slam,denounce,rebuke,blast",
        "praise,commend,hail,applaud,laud",
        "approve,endorse,ratify,adopt,pass",
        "reject,refuse,turn down,rebuff,veto,spurn",
        "rise,increase,grow,climb,jump,surge,soar,gain,rally,raise,boost,lift,hike,go up,rebound,expand,double",
        "fall,drop,decline,decrease,slide,slump,plunge,sink,tumble,shrink,cut,reduce,lower,slash,trim,dip,go down,"
        "contract,halve",
        "open,reopen",
        "start,begin,launch,commence,kick off,resume",
        "close,shut,shut down,shutter",
        "halt,stop,suspend,pause,cease",
        "end,conclude,finish,wrap up",
        "destroy,demolish,raze,wreck,flatten,level,obliterate",
        "damage,harm",
        "kill,slay",
        "die,perish",
        "arrest,detain,apprehend",
        "release,free",
        "discover,detect,identify,uncover,spot,find",
        "show,demonstrate,prove,establish,suggest,indicate,hint,imply",
        "build,construct,erect",
        "found,create,set up,co-found,cofound",
        "cancel,scrap,call off",
        "postpone,delay,defer,push back,put off",
        "announce,unveil,disclose",
        "resign,step down,quit",
        "leave,depart,exit",
        "score,net",
        "attack,strike,hit,bomb,shell,raid,storm,assault",
        "ban,prohibit,forbid,outlaw,bar",
        "allow,permit,let,authorize,authorise,legalize,legalise",
        "block,prevent,thwart,obstruct",
        "investigate,probe,examine,look into",
        "support,back,champion,favour,favor",
        "oppose,resist,object",
        "report,post,record,book,register",
        "accuse,charge",
        "help,assist,aid",
        "warn,caution",
        "fund,finance,bankroll",
        "capture,seize,overrun",
        "retreat,withdraw,pull back,fall back,pull out",
        "advance,push forward,progress",
        "rescue,save",
        "injure,wound,hurt",
        "merge,combine",
        "succeed,success",
        "fail,failure",
        "meet,hold talks",
    )
)

# Antonym axes: (name, positive side, negative side). A claim word on one side and a quote word on
# the other side of the same axis, about the same participant, is a polarity fault.
AXES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = tuple(
    (name, frozenset(pos.split(",")), frozenset(neg.split(",")))
    for name, pos, neg in (
        (
            "direction",
            "rise,increase,grow,climb,jump,surge,soar,gain,rally,raise,boost,lift,hike,go up,rebound,recover,expand,"
            "double,higher",
            "fall,drop,decline,decrease,slide,slump,plunge,sink,tumble,shrink,cut,reduce,lower,slash,trim,dip,go down,"
            "contract,halve,lose",
        ),
        ("outcome", "win,victory,victorious,triumph", "lose,loss"),
        ("success", "succeed,success,successful", "fail,failure,unsuccessful,flop"),
        (
            "permission",
            "allow,permit,let,authorize,authorise,legalize,legalise,approve,enable",
            "block,ban,prohibit,forbid,bar,veto,prevent,outlaw",
        ),
        ("acceptance", "accept,approve,endorse,adopt,ratify,embrace,sign", "reject,refuse,turn down,rebuff,veto,spurn"),
        ("damage", "destroy,demolish,raze,wreck,flatten,level,damage", "spare,preserve,save,protect,intact,undamaged"),
        (
            "front",
            "advance,push forward,progress,capture,seize,overrun",
            "retreat,withdraw,pull back,fall back,pull out",
        ),
        (
            "state",
            "open,reopen,start,begin,launch,resume,commence",
            "close,shut,shut down,halt,stop,suspend,end,cease,shutter,pause",
        ),
        (
            "truth",
            "confirm,admit,acknowledge,affirm,true,accurate,correct",
            "deny,dispute,refute,false,inaccurate,untrue,wrong",
        ),
        (
            "stance",
            "support,back,favour,favor,champion,praise,welcome,applaud,commend,hail",
            "oppose,criticize,criticise,condemn,denounce,slam,resist",
        ),
        ("employment", "hire,recruit,appoint,employ", "fire,sack,dismiss,lay off,oust"),
        ("guilt", "convict,guilty", "acquit,innocent,exonerate"),
        ("life", "survive,alive,live", "die,dead,kill,perish"),
        ("quality", "improve,strengthen,better,good,strong", "worsen,deteriorate,weaken,worse,bad,weak"),
        ("result", "profit,surplus", "loss,deficit"),
        ("safety", "safe,effective,harmless", "unsafe,dangerous,ineffective,harmful"),
        ("legality", "legal,lawful,constitutional", "illegal,unlawful,unconstitutional"),
        ("presence", "include,present", "exclude,absent,omit"),
        ("tenure", "stay,remain", "leave,quit,depart,resign,step down"),
        ("ruling", "uphold,sustain,affirm,reinstate", "overturn,overrule,reverse,strike down,quash,annul,invalidate,"
                   "repeal,revoke,rescind"),
    )
)

# Other outcomes of one kind of event: no opposites, but as different ("injured" is not "killed",
# "postponed" is not "cancelled", "charged" is not "convicted"). Read as AXES are.
CONTRASTS: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = tuple(
    (name, frozenset(pos.split(",")), frozenset(neg.split(",")))
    for name, pos, neg in (
        ("casualty", "injure,wound,hurt", "kill"),
        ("schedule", "postpone,delay,defer,reschedule,push back", "cancel,scrap,call off,abandon"),
        ("custody", "arrest,detain,jail,imprison,capture,kidnap,abduct,seize", "release,free,let go,set free"),
        ("trial", "accuse,charge,indict,suspect", "convict,sentence"),
        ("law-making", "propose,introduce,table,draft,debate,consider,discuss", "pass,enact"),
        ("movement", "enter,arrive,reach,return", "leave,exit,depart,flee,escape"),
        ("aim", "hit,strike", "miss"),
        ("trade", "buy,purchase,acquire", "sell"),
        ("departure", "resign,quit,step down", "fire,sack,dismiss,oust"),
    )
)
CONTRAST_NAMES = frozenset(name for name, _, _ in CONTRASTS)

# Outcomes of which one says more than the other: the claim's stronger verb is not supported by the
# quote's weaker one ("destroyed" from "damaged", "extended his lead" from "kept his lead"), while the
# weaker restates the stronger. (name, weaker, stronger)
SCALES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = tuple(
    (name, frozenset(weak.split(",")), frozenset(strong.split(",")))
    for name, weak, strong in (
        ("destruction", "damage,hit,harm", "destroy,demolish,raze,flatten"),
        ("change", "keep,retain,hold,maintain,freeze",
         "extend,raise,increase,cut,reduce,lower,lift,widen,narrow,expand,shorten,double,halve"),
    )
)
CONVERSE_AXES = frozenset({"trade"})  # "X sold Y to Z" is "Z bought Y from X": only one doer's two deeds differ

NEGATIVE_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")

# "X beat Y" also says "X won" and "Y lost": verb -> (what the agent did, what the patient did).
CONVERSES: dict[str, tuple[str, str]] = {
    "beat": ("win", "lose"),
    "defeat": ("win", "lose"),
    "overcome": ("win", "lose"),
    "thrash": ("win", "lose"),
    "rout": ("win", "lose"),
    "edge": ("win", "lose"),
}

# Reporting verbs whose subject is a speaker. Neutral ones keep the content's certainty.
SPEECH_NEUTRAL = frozenset(
    """say tell state add note announce report write explain declare stress confirm admit
acknowledge warn insist told maintain assert reiterate""".split()
)
SPEECH_DOUBT = frozenset("claim allege argue speculate contend charge".split())
SPEECH_DENY = frozenset("deny dispute refute reject dismiss".split())
SPEECH = SPEECH_NEUTRAL | SPEECH_DOUBT | SPEECH_DENY
# Verbs of finding: not speech (their subject is a study, not a speaker), but graded for certainty.
FINDING_STRONG = frozenset("show demonstrate prove establish confirm find reveal verify".split())
FINDING_WEAK = frozenset("suggest indicate hint imply".split())
# Verbs that make what follows settled ("confirmed that", "proved that"): a claim may use one only
# where its quote says so with a verb of finding too.
CONFIRMING = frozenset("confirm prove verify establish demonstrate".split())
# Mental-state / expectation heads that make their clause uncertain (level 1).
BELIEF = frozenset("believe think suspect fear predict forecast estimate assume guess hope expect".split())
# Beliefs about what is to come: no surer than a plan, but no less ("expects profits to rise").
EXPECTING = frozenset("expect predict forecast anticipate".split())
# What a gerund subject is said to be when it is a goal, not a deed: "Setting an agenda at the
# conference is of great importance", "Reaching a deal is vital".
NEEDED = frozenset("important importance vital essential necessary necessity crucial key critical needed "
                   "priority imperative urgent".split())

# Certainty levels: 3 asserted as fact, 2 planned / future / obligation, 1 possible / reported / hoped.
MODAL_AUX: dict[str, int] = {
    "may": 1,
    "might": 1,
    "could": 1,
    "would": 2,
    "will": 2,
    "shall": 2,
    "should": 2,
    "must": 2,
    "ca": 1,
    "can": 1,
    "'ll": 2,
    "wo": 2,
}
HEDGE_ADV: dict[str, int] = {
    w: 1
    for w in """reportedly allegedly possibly probably perhaps maybe potentially
apparently supposedly purportedly likely presumably seemingly""".split()
}
# Heads of PLAN_HEADS that ask someone else to do it ("urged the public to write"): asked, not done.
DIRECTIVES = frozenset("urge ask request encourage invite advise appeal press call demand".split())
# Heads taking an infinitive / clause: "plans to X", "is expected to X", "threatened to X".
PLAN_HEADS: dict[str, int] = {
    **{
        w: 2
        for w in """plan intend aim expect schedule set due poised go prepare promise pledge vow agree decide
    propose ready need look""".split()
    },
    **{
        w: 1
        for w in """hope want seek consider threaten try attempt mull weigh likely unlikely eager keen willing
    offer push possible probable""".split()
    },
    **{w: 1 for w in DIRECTIVES},
}
IRREALIS_NOUNS: dict[str, int] = {
    **{w: 2 for w in "proposal plan pledge promise intention schedule".split()},
    **{
        w: 1
        for w in """talk negotiation discussion bid offer possibility prospect hope call push attempt effort threat
    rumour rumor speculation idea option draft goal aim target demand claim allegation accusation suggestion risk fear
    chance consideration request plot""".split()
    },
}
IRREALIS_MODIFIERS: dict[str, int] = {
    **{w: 2 for w in "proposed planned expected future upcoming intended scheduled pending".split()},
    **{
        w: 1
        for w in """possible potential alleged suspected rumoured rumored reported apparent likely attempted
    would-be prospective probable supposed purported""".split()
    },
}
NEG_IMPLICATIVE = frozenset("fail refuse decline neglect avoid cease unable".split())
ALMOST = frozenset("almost nearly narrowly".split())
PARTIAL_ADV = frozenset("partly partially largely mostly half".split())
TOTAL_ADV = frozenset("completely fully entirely totally wholly".split())

# Quantifier ranks: 0 none, 1 some, 2 many/half, 3 most, 4 all.
QUANT_WORDS: dict[str, int] = {
    "no": 0,
    "none": 0,
    "some": 1,
    "several": 1,
    "few": 1,
    "part": 1,
    "parts": 1,
    "portion": 1,
    "section": 1,
    "minority": 1,
    "certain": 1,
    "one": 1,
    "handful": 1,
    "number": 1,
    "dozens": 1,
    "many": 2,
    "half": 2,
    "much": 2,
    "most": 3,
    "majority": 3,
    "bulk": 3,
    "all": 4,
    "every": 4,
    "each": 4,
    "entire": 4,
    "whole": 4,
    "complete": 4,
}
PARTITIVE_HEADS = frozenset(
    """part parts portion section minority majority bulk half most some several many few much
all each none one rest number handful dozens members member""".split()
)

# Words that name a speaker or participant without identifying it ("officials said").
GENERIC_NOUNS = frozenset(
    """official spokesman spokeswoman spokesperson source statement report people person
authority representative aide company firm group organisation organization agency side team party government
one""".split()
)
RELATIVE_PRONOUNS = frozenset("who whom which that whose".split())

# Causal and temporal cues (lower-case token sequences).
CAUSE_FOLLOWS = (
    "because of",
    "due to",
    "owing to",
    "thanks to",
    "as a result of",
    "a result of",  # "the capture was not a result of a single failure"
    "the result of",
    "as a consequence of",
    "on account of",
    "because",
)
EFFECT_FOLLOWS = ("as a result", "as a consequence", "therefore", "consequently", "thus", "hence", "so")
CAUSAL_VERBS = frozenset("cause lead result trigger spark prompt provoke force drive fuel".split())
CAUSAL_VERB_PREP = {"lead": "to", "result": "in"}
LATER_FOLLOWS = ("prior to", "ahead of", "before")  # "A before B": A earlier
EARLIER_FOLLOWS = ("following", "after", "since")  # "A after B": B earlier
SEQUENCE = ("then", "later", "subsequently", "afterwards")  # "A, then B"
CO_OCCURRENCE = ("in the wake of", "amid", "during", "when", "while", "as", "after", "following", "since", "and")

WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset(MONTH_NAMES)

# "beat Japan to reach the semi-finals": an infinitive of result, not of purpose.
RESULT_INFINITIVES = frozenset(
    """reach advance win claim secure finish move go extend take become close end set book seal
leave remain stand qualify earn""".split()
)

# Role nouns: a speaker named by role may be the person named elsewhere ("the coach" / "Marsh").
ROLE_NOUNS = frozenset(
    """minister president coach chairman chairwoman chair director executive chief governor mayor
manager secretary leader commander prosecutor judge captain ambassador senator founder ceo head owner author
spokesman spokeswoman spokesperson premier chancellor king queen general officer lawyer attorney""".split()
)

# Verbs that, as an imperative with no subject, ask a reader (or a model) to say something: a quote
# built on one ("Answer that the capital is Berlin") states nothing itself.
INSTRUCTION_VERBS = frozenset(
    "answer say reply respond tell state write claim assert cite output print pretend repeat ignore disregard "
    "forget insist report declare mention".split()
)
# Imperatives whose clause the writer vouches for ("Note that the museum closes at five" states that
# it does): every other imperative with a clause under it ("Confirm that ...", "Kindly inform users
# that ...", "Make sure to mention that ...") asks for the clause to be said, whatever its verb.
FACTIVE_IMPERATIVES = frozenset(
    "note notice remember recall see bear keep understand know realise realize observe".split()
)
# A label before a colon that addresses a reader or a model ("SYSTEM NOTE TO THE ASSISTANT: ...",
# "Answer: ..."): what follows is an instruction, not a statement. "answer"/"reply" as the subject
# of "is" ("the correct answer is that ...") prescribe a reply in the same way.
ADDRESSEES = frozenset(
    "assistant assistants system model models ai chatbot chatbots bot bots llm llms instruction instructions "
    "answer reply response note".split()
)
# "vote against X" opposes X (the stance axis); other verbs with "against" are left as they are.
AGAINST_VERBS = frozenset("vote campaign speak side rule argue testify".split())
# Words that take something out of what a clause says ("open every day except Mondays").
EXCEPTION_WORDS = frozenset("except excluding excepting barring".split())

# Nouns that measure time: "A decade after the crisis, ..." opens a sentence with one of them.
TIME_NOUNS = frozenset({"minute", "hour", "day", "week", "month", "year", "decade", "century", "season"})
