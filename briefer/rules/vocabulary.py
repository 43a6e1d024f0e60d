"""The English words briefer's rules read, in one place: cue verbs, titles, kinds of bodies.

Every rule that reads the parse (`briefer.analysis`, `briefer.rules`) takes its words from
here, so a word added once is read the same way everywhere. Verbs are lemmas (spaCy's
`token.lemma_`), lower case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.analysis.document import DecisionEffect

#: Verbs that report speech or writing: "X said", "X told reporters", "X wrote".
SPEECH_CUES = frozenset(
    """say tell add argue claim insist state write note explain ask announce declare report
    tweet post testify respond reply answer counter acknowledge admit concede confirm deny
    contend maintain stress emphasize emphasise suggest recall describe urge demand complain
    remark observe reiterate assert allege charge accuse blame praise criticize criticise
    question promise pledge vow mention quip joke boast brag signal indicate estimate conclude
    insist caution warn threaten predict forecast agree disagree call dismiss reject
    denounce condemn applaud welcome hail slam blast attack decry lament acknowledge
    retort protest muse wonder speculate caution advise recommend propose compare cite
    defend mock tout pitch hit highlight raise voice express testify acknowledge rule
    find show point echo thank compliment liken brand label dub characterize characterise
    portray retweet commend chide scold rebuke fault lambaste ridicule reveal disclose
    recount implore plead challenge rebut refute contradict concede speak talk encourage
    bemoan laud publish exhort rate outline""".split()  # noqa: SIM905
)
#: Cue verbs whose past tense is not "-ed", and those that double their last letter.
IRREGULAR_PAST = {
    "say": "said",
    "tell": "told",
    "write": "wrote",
    "speak": "spoke",
    "find": "found",
    "think": "thought",
    "feel": "felt",
    "know": "knew",
    "see": "saw",
    "hit": "hit",
    "forecast": "forecast",
    "seek": "sought",
    "hold": "held",
    "lead": "led",
    "bring": "brought",
}
DOUBLED_FINAL = frozenset("admit rebut quip brag slam dub refer regret commit omit".split())  # noqa: SIM905
#: Words after which a cue is not said, nor meant by the speaker: "declined to say", "needs
#: to tell the truth" (someone else's view of what they should say), "is expected to
#: testify". What someone plans or wants to say is their own stance, and stays.
NOT_YET_SAID = frozenset(
    """decline refuse fail unable reluctant available need expect prepare ready likely set
    poised schedule due""".split()  # noqa: SIM905
)
#: Adjectives of concern after "be" ("were concerned that"): cautions.
CONCERN_ADJECTIVES = frozenset("concerned worried alarmed afraid fearful".split())  # noqa: SIM905
#: Cues that make a statement a warning (a caution, a threat or a prediction of harm).
WARNING_CUES = {
    "warn": "caution",
    "caution": "caution",
    "advise": "caution",
    "alert": "caution",
    "threaten": "threat",
    "vow": "threat",
    "predict": "prediction",
    "forecast": "prediction",
    "fear": "caution",
    "worry": "caution",
    # adjectives after "be": "were concerned that ..."
    **dict.fromkeys(CONCERN_ADJECTIVES, "caution"),
}
#: Verbs that attribute a stance that is not speech: "X believes", "X rejected the claim".
STANCE_CUES = frozenset(
    """believe think feel fear worry hope expect doubt know oppose support endorse dispute
    see view regard consider want identify back favor favour advocate champion
    promote""".split()  # noqa: SIM905
)
#: Adjectives after "be" that attribute a stance: "has been critical of Trump", "is
#: confident that".
STANCE_ADJECTIVES = frozenset(
    """critical skeptical sceptical confident optimistic pessimistic hopeful doubtful
    convinced adamant supportive passionate""".split()  # noqa: SIM905
)
#: Every adjective that is a cue after "be": of stance, or of concern ("were concerned").
CUE_ADJECTIVES = STANCE_ADJECTIVES | CONCERN_ADJECTIVES

#: A verb and its object that together report speech ("issued a statement calling ...",
#: "sounded a call for ...", "made the case for ..."): the verbs, then the nouns.
LIGHT_SPEECH_VERBS = frozenset(
    "issue make offer deliver sound release give post lay unveil present".split()  # noqa: SIM905
)
SPEECH_ACT_NOUNS = frozenset(
    """statement call condemnation remark comment warning plea appeal speech case message
    advice defense defence criticism endorsement promise pledge assurance apology rebuke
    announcement accusation denial proposal""".split()  # noqa: SIM905
)
#: Nouns that attribute what follows them to their possessor: "Trump's claim that ...",
#: "North Korea's claims about the test". Their statements' cue is the noun after
#: `POSSESSED_CUE_PREFIX` ("'s claim"), apart from the verb "claim".
POSSESSED_CUE_PREFIX = "'s "
POSSESSED_SPEECH_NOUNS = frozenset(
    """claim assertion argument view position contention insistence statement remark
    comment promise pledge assurance message call appeal plea announcement
    speech""".split()  # noqa: SIM905
)

#: Labels that open an editor's note, not a speaker's turn ("CORRECTION: An earlier version
#: ..."), lower case.
EDITORIAL_LABELS = frozenset(
    [
        "clarification",
        "correction",
        "update",
        "updated",
        "editor's note",
        "note",
        "abstract",
        "advertisement",
        "related",
        "photo",
        "video",
        "watch",
    ]
)

#: Words in front of a person's name that say what the person is, not who.
#: Offices one person holds at a time, by the words that name them ("sen" is "senator"):
#: "the mayor" is not the person named as governor.
OFFICES = {
    **dict.fromkeys(["mayor"], "mayor"),
    **dict.fromkeys(["governor", "gov"], "governor"),
    **dict.fromkeys(["senator", "sen"], "senator"),
    **dict.fromkeys(["representative", "rep", "congressman", "congresswoman"], "representative"),
    **dict.fromkeys(["judge", "justice"], "judge"),
    **dict.fromkeys(["ambassador"], "ambassador"),
    **dict.fromkeys(["sheriff"], "sheriff"),
    **dict.fromkeys(["pope"], "pope"),
}

TITLE_WORDS = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady president vice prime minister premier
    chancellor mayor governor gov senator sen rep representative congressman congresswoman
    judge justice general gen colonel col captain capt chief secretary deputy spokesman
    spokeswoman spokesperson king queen prince princess pope bishop rev ambassador
    commissioner director chairman chairwoman chair ceo leader lawyer attorney official
    adviser advisor aide analyst professor economist head founder candidate nominee manager
    member lawmaker speaker press strategist sheriff officer detective lt sgt
    executive diplomat envoy negotiator""".split()  # noqa: SIM905
)

#: Words that make an organisation's name a government body, or a news medium.
GOVERNMENT_WORDS = frozenset(
    """ministry department court congress senate house parliament assembly agency commission
    council administration government police army navy military pentagon kremlin cabinet
    tribunal legislature fbi cia nsa epa irs bureau office authority regulator
    committee""".split()  # noqa: SIM905
)
MEDIA_WORDS = frozenset(
    """times post news journal guardian reuters associated press cnn bbc fox nbc abc cbs
    msnbc politico breitbart telegraph tass ria axios bloomberg herald tribune gazette
    magazine daily weekly radio television tv newspaper wire""".split()  # noqa: SIM905
)

#: Nouns that describe an actor the article has named, for "the company said":
#: each maps to words of the names (or roles) it may describe.
DESCRIPTIONS = {
    "company": ("company", "corp", "corporation", "inc", "group", "firm"),
    "firm": ("company", "corp", "corporation", "inc", "group", "firm"),
    "ministry": ("ministry",),
    "department": ("department",),
    "court": ("court", "tribunal"),
    "judge": ("judge", "justice"),
    "justice": ("judge", "justice"),
    "agency": ("agency",),
    "commission": ("commission",),
    "committee": ("committee",),
    "panel": ("committee", "panel", "commission"),
    "union": ("union",),
    "campaign": ("campaign",),
    "government": ("government", "administration"),
    "administration": ("administration", "government"),
    "regulator": ("regulator", "authority", "agency", "commission"),
    "bank": ("bank",),
    "party": ("party",),
    "council": ("council",),
    "governor": ("governor", "gov"),
    "president": ("president",),
    "senator": ("senator", "sen"),
    "minister": ("minister",),
    "mayor": ("mayor",),
    "spokesman": ("spokesman", "spokesperson"),
    "spokeswoman": ("spokeswoman", "spokesperson"),
}

#: Nouns that name people, bodies or documents that can speak: a speaker described only by
#: such a noun ("officials said", "the report said") becomes an actor; other nouns ("the
#: video shows") do not.
SPEAKER_NOUNS = frozenset(
    """official spokesman spokeswoman spokesperson aide adviser advisor analyst expert critic
    supporter opponent voter resident protester demonstrator activist lawyer attorney
    prosecutor investigator economist scientist researcher source diplomat leader lawmaker
    legislator senator representative member officer police agent employee worker doctor
    physician student teacher parent family man woman group organization organisation
    campaign company firm union government administration ministry department agency court
    judge panel committee council board commission authority regulator party office
    staff manager director chairman chairwoman chair president executive minister secretary
    governor mayor candidate nominee observer commentator pundit strategist pollster
    official operative insider veteran owner investor banker trader farmer coalition
    association federation alliance network newspaper outlet editor reporter journalist
    report study survey poll statement letter ruling complaint filing memo lawsuit editorial
    document release analysis data city state county town country nation province district
    refugee immigrant migrant citizen investor applicant patient driver airline carrier
    operator developer bank firm councillor councilor inspector trustee advocate proponent
    backer ally rival opposition lobbyist donor official legislature parliament assembly
    congress senate mother father couple child hacker terrorist militant soldier troop
    consumer customer taxpayer homeowner tenant victim relative""".split()  # noqa: SIM905
)

#: Verbs by which one actor decides what another may do, and what each decides.
#: "grant": allows (a negation denies); "deny": forbids or refuses; "revoke": ends a
#: permission or a restriction; "require": obliges; "request": asks to be allowed.
DECISION_CUES: dict[str, DecisionEffect] = {
    **dict.fromkeys(
        """allow permit let authorize authorise approve grant license licence exempt enable
        clear greenlight uphold accept admit empower entitle extend""".split(),  # noqa: SIM905
        "grant",
    ),
    **dict.fromkeys(
        """forbid ban bar block prohibit prevent stop veto reject deny refuse restrict limit
        curb outlaw overturn overrule halt suspend freeze bar restrain enjoin
        impose dismiss""".split(),  # noqa: SIM905
        "deny",
    ),
    **dict.fromkeys(["revoke", "lift", "repeal", "rescind", "cancel", "withdraw", "end"], "revoke"),
    **dict.fromkeys(
        [
            "order",
            "require",
            "force",
            "compel",
            "mandate",
            "subpoena",
            "direct",
            "instruct",
            "oblige",
            "obligate",
        ],
        "require",
    ),
    **dict.fromkeys(["request", "seek", "apply", "petition"], "request"),
}
#: Verbs with a particle that decide ("struck down the ban"), as "verb particle".
PHRASAL_DECISION_CUES: dict[str, DecisionEffect] = {
    **dict.fromkeys(["strike down", "throw out", "turn down", "shut down"], "deny"),
    "roll back": "revoke",
    "sign off": "grant",
}
#: What a court or regulator finds a thing when it forbids it ("found the law unconstitutional").
UNLAWFUL_WORDS = frozenset(
    """unconstitutional illegal unlawful invalid void improper impermissible""".split()  # noqa: SIM905
)
#: What "dismissed" must dismiss to decide: a filing, not a person or a report.
DISMISSABLE = frozenset(
    "lawsuit suit case motion appeal petition complaint charge indictment".split()  # noqa: SIM905
)
#: Objects that make "approve", "reject" or "lift" a decision about someone's permission.
DECISION_OBJECTS = frozenset(
    """request application bid motion appeal permit permission license licence visa waiver
    exemption ban curfew sanction sanctions restriction restrictions embargo injunction order
    law bill rule rules regulation measure plan merger deal proposal petition lawsuit
    approval authorization authorisation access argument action actions procedure practice
    policy decision ruling program programme legislation statute treaty convention charter
    resolution agreement accord constitution ordinance directive""".split()  # noqa: SIM905
)
#: Words that open a limit on a permission: "only if", "provided", "until".
LIMIT_WORDS = frozenset(["only", "provided", "providing", "unless", "until", "except", "within"])
#: A petition named again ("rejected that argument", "the motion was denied") and the verbs
#: that made it earlier ("the Times argued", "asked the court to"). A verb whose object is the
#: petition ("filed a motion", "made a request") makes it too.
PETITION_VERBS: dict[str, frozenset[str]] = {
    noun: frozenset(verbs.split())
    for noun, verbs in {
        "argument": "argue contend claim assert maintain",
        "request": "request ask seek petition",
        "motion": "move",
        "appeal": "appeal",
        "petition": "petition",
        "application": "apply",
        "bid": "bid seek",
        "proposal": "propose",
        "demand": "demand",
        "claim": "claim",
        "lawsuit": "sue",
        "suit": "sue",
        "case": "sue",
        "challenge": "challenge",
        "plea": "plead",
        "complaint": "complain",
    }.items()
}
#: Verbs by which one actor asks (or tells) another to act: "asked the court to block the
#: law", "told her to leave". Not "urged" or "called on": on real news those are political
#: appeals ("urged Congress to act"), not requests for leave.
APPEAL_CUES: dict[str, DecisionEffect] = {"ask": "request", "tell": "require"}
#: Verbs after which what someone is to do is only wanted, not decided ("urged the EU to
#: ban the pesticide" reports no ban).
APPEAL_VERBS = frozenset([*APPEAL_CUES, "urge", "press", "implore", "beg", "call", "demand"])
#: Words whose "that" clause says what is wanted, in the subjunctive: "demands that Iran
#: disclose", "proposed that the board announce". A cue there is not said.
MANDATIVE_WORDS = frozenset(
    """demand insist urge propose proposal request require requirement ask recommend order
    suggest suggestion call""".split()  # noqa: SIM905
)
#: What "gave X ..." gives when it is a permission: "gave the chair authority to".
AUTHORITY_NOUNS = frozenset(
    "authority permission right power mandate approval licence license go-ahead".split()  # noqa: SIM905
)
#: Verbs that grant only when they name to whom: "extended benefits to gay couples" (not
#: "extended the curfew").
TO_RECIPIENT_CUES = frozenset(["extend"])
#: Adjectives that say whether someone may: "is ineligible to take part", "would not be
#: eligible for the leave"; the value is whether they grant.
ELIGIBILITY_WORDS = {"eligible": True, "ineligible": False, "entitled": True}
#: Documents that speak for whoever issued them ("the statement noted").
DOCUMENTS = frozenset(
    "statement report letter memo filing release document brief complaint lawsuit".split()  # noqa: SIM905
)
