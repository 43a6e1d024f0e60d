"""The analysis: sentences, actors and attributed statements read off spaCy's parse.

Most sentences come from the product's example article (a real report) or follow shapes
measured on real news (PolNeAR's development articles, which may not be copied here): the
speaker beside the cue, after a quotation, in an apposition, behind a pronoun or "according
to"; quotations that continue; countries named by their capitals; people who share a name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.analysis import Analysis, analyse

EXAMPLE = (Path(__file__).parent.parent / "examples" / "us-permits-strikes-kharkov.txt").read_text(
    encoding="utf-8"
)


def said(analysis: Analysis, words: str) -> list[tuple[str, str]]:
    """(speaker name, content) of every statement whose content holds `words`."""
    found = []
    for statement in analysis.statements:
        content = analysis.text[statement.content.start : statement.content.end]
        if words in content:
            found.append((analysis.actor(statement.speaker).name, content))
    return found


def stances_of(analysis: Analysis) -> list[str]:
    """The statements as briefer shows them, in article order."""
    from briefer.rules.voices import voice_items

    return [position.stance for position in voice_items(analysis)[0]]


def actor_named(analysis: Analysis, name: str):
    return next(actor for actor in analysis.actors if actor.name == name)


@pytest.fixture(scope="module")
def example() -> Analysis:
    return analyse(EXAMPLE)


def test_offsets_are_the_articles_and_a_headline_is_its_own_sentence(example):
    first, second = example.sentences[:2]
    assert (
        EXAMPLE[first.start : first.end]
        == "US backs cross-border missiles attacks on Russia – Kiev"
    )
    assert EXAMPLE[second.start : second.end].startswith("Vladimir Zelensky’s office has")
    assert [s.id for s in example.sentences] == list(range(1, len(example.sentences) + 1))


def test_the_two_presidents_stay_two_actors(example):
    names = {actor.name for actor in example.actors if actor.kind == "person"}
    assert {"Vladimir Zelensky", "Vladimir Putin"} <= names
    putin = actor_named(example, "Vladimir Putin")
    assert putin.role == "Russian President"
    assert "Putin" in putin.aliases and "Zelensky" not in putin.aliases


def test_a_capital_names_its_countrys_government(example):
    ukraine = actor_named(example, "Ukraine")
    assert ukraine.kind == "government" and "Kiev" in ukraine.aliases
    assert {"US", "Washington"} <= set(actor_named(example, "United States").aliases)


def test_the_speaker_after_a_quotation_is_the_one_named_beside_the_verb_not_the_possessor(
    example,
):
    [(speaker, content)] = said(example, "significantly boost our ability")
    assert speaker == "Sergey Nikoforov"
    assert content.startswith("“It will significantly boost") and content.endswith("border,”")


def test_according_to_names_the_speaker_and_the_rest_of_the_sentence_is_the_content(example):
    [(speaker, content)] = said(example, "previously not allowed")
    assert speaker == "US officials"
    assert content.startswith("Kiev was previously not allowed")


def test_according_to_a_titled_name_keeps_the_clause_the_parser_hung_on_it():
    """With no verb found for the sentence, the parser makes the clause an apposition of
    the name: the source ends at the comma."""
    analysis = analyse(
        "According to conservative talk radio host Rush Limbaugh, the move reeks of fear."
    )
    assert said(analysis, "the move") == [("Rush Limbaugh", "the move reeks of fear")]


def test_he_is_the_person_last_named_as_a_subject(example):
    assert said(example, "fail to show the entire picture")[0][0] == "Vladimir Putin"
    assert said(example, "how will the US act")[0][0] == "Vladimir Putin"


def test_it_after_a_sentence_about_a_thing_is_that_thing_not_an_organisation_named_before():
    """ "White's order of today dissolved the injunction ... It also denied the bank's
    request": "it" had been the site the order was about, so the site denied the bank."""
    analysis = analyse(
        "Judge Ann Reyes heard the case that Northbank brought against Openleaks. The "
        "judge's order dissolved the injunction that had barred Openleaks from publishing. "
        "It also denied a request by Northbank for a new order."
    )
    assert not said(analysis, "a request by Northbank")
    denial = next(d for d in analysis.decisions if d.cue_lemma == "deny")
    assert denial.grantor is None and denial.grantee == "northbank"


def test_an_organisation_is_one_actor_by_its_code_in_brackets_and_its_head_word():
    """A real court story named "The Wikimedia Foundation (WMF)", then "WMF" and "the
    Foundation": three actors; and "a split bench ... making it apparent that they would
    only consider" gave the bench's stance to the Foundation."""
    analysis = analyse(
        "The Openpedia Trust (OPT) was ordered by the High Court on Wednesday to remove the "
        "page. A split bench of two judges issued the directive after making it apparent "
        "that they would only consider the appeal if the page was removed. OPT promised it "
        "would comply. The Trust said the order was unfair."
    )
    trusts = [actor for actor in analysis.actors if "Trust" in actor.name or "OPT" in actor.name]
    assert [actor.name for actor in trusts] == ["Openpedia Trust"]
    assert said(analysis, "it would comply")[0][0] == "Openpedia Trust"
    assert said(analysis, "the order was unfair")[0][0] == "Openpedia Trust"
    assert not said(analysis, "the appeal")


def test_reported_words_that_end_in_a_quotation_keep_its_closing_mark(example):
    """README's example showed 'Putin added the constant escalation of the Ukraine conflict
    “may lead to serious consequences.': the words stopped before the closing mark."""
    [(_, words)] = said(example, "serious consequences")
    assert words.endswith("consequences.\u201d")
    stances = stances_of(example)
    assert stances[-2].endswith("\u201cmay lead to serious consequences.\u201d")


def test_a_headline_credited_after_a_dash_is_its_sources_claim(example):
    """ "US backs cross-border missiles attacks on Russia – Kiev" had been the United
    States' own stance; Washington made no statement, and the headline credits Kiev."""
    assert said(example, "backs cross-border") == [
        ("Ukraine", "US backs cross-border missiles attacks on Russia")
    ]
    analysis = analyse("Talks to resume in May - Kremlin\nThe Kremlin said talks would resume.")
    assert said(analysis, "Talks to resume")[0][0] == "Kremlin"
    analysis = analyse("Prices rise - and fall\nPrices rose on Monday, traders said.")
    assert not said(analysis, "Prices rise")  # "and fall" names no one


def test_the_diplomat_is_the_one_named_before_and_a_capital_as_a_venue_is_no_government():
    """On a real diplomacy story "The Iranian diplomat emphasized ..." was an actor of its
    own, and "the next round will take place in Rome" made Italy's government an actor."""
    analysis = analyse(
        "Foreign Minister Abbas Araghchi criticized the new sanctions. The Iranian diplomat "
        "emphasized that talks continue. He said the next round will take place in Rome. "
        "Kiev said the talks had failed."
    )
    assert said(analysis, "talks continue")[0][0] == "Abbas Araghchi"
    assert "Italy" not in [actor.name for actor in analysis.actors]
    assert said(analysis, "the talks had failed")[0][0] == "Ukraine"  # a capital that acts


def test_a_body_described_is_not_a_person_whose_role_names_it_and_a_wire_dateline_ends():
    """A Reuters story: "SANTIAGO (Reuters) -Walmart Chile's workers union launched a
    strike ..., the union said" gave the union's words, dateline and all, to "Union leader
    Karen Gonzalez", named two paragraphs later."""
    analysis = analyse(
        "SANTIAGO (Reuters) -The workers union launched a strike on Wednesday, the union "
        "said in a statement.\n\nUnion leader Karen Gonzalez told Reuters that the company "
        "had refused an extension."
    )
    assert said(analysis, "launched a strike") == [
        ("union", "The workers union launched a strike on Wednesday")
    ]
    stances = stances_of(analysis)
    assert "Karen Gonzalez said the company had refused an extension." in stances
    # "the company" is the last company named, not the workers' federation
    analysis = analyse(
        "Walmart Chile said 75 stores will close. The National Federation of Walmart Workers "
        'warned of the strike. "We made every effort," the company said.'
    )
    assert said(analysis, "every effort")[0][0] == "Walmart Chile"


def test_a_definite_title_is_the_person_a_pronoun_would_be(example):
    """'The Ukrainian leader believes ...' follows a sentence whose main subject is
    Zelensky; a foreign secretary named inside it is not the leader."""
    assert said(example, "London is waiting for the greenlight")[0][0] == "Vladimir Zelensky"


def test_a_speaker_inside_a_relative_clause_keeps_their_own_words(example):
    speakers = {speaker for speaker, _ in said(example, "has the right")}
    assert "David Cameron" in speakers


ARTICLE = "\n".join(
    [
        "Court lets trial go ahead",
        "",
        "A lawyer for the news outlets, David Schulz, said no immediate decision had been "
        "made about whether to appeal.",
        '"We are pleased with the court\'s decision," Marc Kasowitz, a lawyer for the '
        'company, said. "It was the right call."',
        "The company declined to say how many workers would lose their jobs.",
        '"People say we will lose this fight," Senator Maria Ortega said on Friday.',
        "Donald Trump and Ivana Trump both opposed the motion, according to court papers.",
        "Trump later said the ruling was fair.",
        "Reuters reported that the regulator had approved the plan.",
        "",
    ]
)


@pytest.fixture(scope="module")
def article() -> Analysis:
    return analyse(ARTICLE)


def test_an_apposition_names_the_speaker_its_head_describes(article):
    [(speaker, content)] = said(article, "no immediate decision")
    assert speaker == "David Schulz"
    assert content.startswith("no immediate decision had been made")


def test_a_quotation_with_no_cue_continues_the_speaker_before_it(article):
    assert said(article, "It was the right call")[0][0] == "Marc Kasowitz"


def test_what_a_demand_wants_said_is_not_said():
    """ "to press their demands that Iran disclose all its nuclear activities" had become
    Iran's statement "Iran disclose all its nuclear activities"."""
    analysis = analyse(
        "Diplomats met in Geneva to press their demands that Iran disclose all its nuclear "
        "activities. The council proposed that the mayor announce the plan. Critics see the "
        "plan as a mistake."
    )
    assert not said(analysis, "all its nuclear activities")
    assert said(analysis, "the mayor announce the plan") == [
        ("council", "the mayor announce the plan")
    ]
    assert said(analysis, "as a mistake") == [("critics", "the plan as a mistake")]


def test_declining_to_say_is_no_statement(article):
    assert said(article, "how many workers") == []


def test_a_cue_inside_a_quotation_belongs_to_the_speaker_who_is_quoted(article):
    assert [speaker for speaker, _ in said(article, "we will lose this fight")] == ["Maria Ortega"]


def test_two_people_with_one_surname_stay_two_and_the_surname_is_the_one_named_first(article):
    people = [a.name for a in article.actors if a.kind == "person"]
    assert "Donald Trump" in people and "Ivana Trump" in people
    assert said(article, "the ruling was fair")[0][0] == "Donald Trump"
    # even when the second is named in full more often: that is how news keeps them apart
    often = analyse(
        "Donald Trump unveiled a paid leave plan on Tuesday. His daughter, Ivanka Trump, "
        "helped write the proposal, and Ivanka Trump told reporters that it was fair. The "
        "campaign adviser Ivanka Trump has defended it before. Trump said it would pass."
    )
    assert said(often, "it would pass")[0][0] == "Donald Trump"


def test_a_company_named_with_and_without_its_legal_form_is_one_actor():
    """A Reuters story named "Telkom SA" in its lede and "Telkom" after: two actors."""
    analysis = analyse(
        "Fixed-line operator Telkom SA said on Thursday it would appeal the fine. Telkom said "
        "in a statement it had filed notice. Ford Motor Co. said nothing; Ford Motor declined."
    )
    names = [actor.name for actor in analysis.actors if actor.kind == "organisation"]
    assert names.count("Telkom SA") == 1 and "Telkom" not in names
    assert {name for name in names if name.startswith("Ford")} == {"Ford Motor Co."}


def test_organisations_and_media_are_kinded_by_their_names(article):
    assert actor_named(article, "Reuters").kind == "media"
    assert said(article, "the regulator had approved")[0][0] == "Reuters"


def test_a_transcript_turn_is_said_by_the_person_its_label_names():
    analysis = analyse(
        "Interview with the governor\n\nHost Chris Wallace spoke to Governor Mike Pence.\n\n"
        "WALLACE: Will she attend the debate?\n\nPENCE: She will not be attending the debate.\n"
    )
    assert said(analysis, "She will not be attending")[0][0] == "Mike Pence"
    assert said(analysis, "Will she attend")[0][0] == "Chris Wallace"


def test_a_cue_set_between_commas_attributes_the_clause_it_interrupts():
    analysis = analyse("The new museum, Mayor Ruth Okafor said, will open to visitors in May.")
    [(speaker, content)] = said(analysis, "will open to visitors")
    assert speaker == "Ruth Okafor"
    assert content.startswith("The new museum")


def test_the_name_just_before_the_cue_speaks_not_the_one_the_parser_hangs_it_on():
    analysis = analyse(
        "To understand the real Dred Scott, Chief Justice John Roberts said, one should "
        "visit the museum."
    )
    assert said(analysis, "one should visit")[0][0] == "John Roberts"


def test_paired_apostrophes_are_quotation_marks_and_evidence_keeps_both():
    text = (
        "''Every candidate should publish the returns,'' Douglas Holtz-Eakin, an "
        "economist, told reporters this week. ''The sooner, the better,'' Fred Goldberg "
        "told CNBC in August."
    )
    analysis = analyse(text)
    assert said(analysis, "Every candidate") == [
        ("Douglas Holtz-Eakin", "''Every candidate should publish the returns,''")
    ]
    assert said(analysis, "The sooner") == [("Fred Goldberg", "''The sooner, the better,''")]
    assert [text[s.start : s.end][:2] for s in analysis.sentences] == ["''", "''"]


def test_a_quotation_may_open_straight_and_close_curly():
    analysis = analyse(
        '"The agency has a huge platform,\u201d said David Gorski, a professor of surgery.'
    )
    assert said(analysis, "huge platform")[0][0] == "David Gorski"


def test_a_dateline_is_not_the_subject_of_the_first_sentence():
    text = (
        "WASHINGTON -- President Barack Obama, opening the museum on Saturday, said it "
        "would tell an American story.\n\nKYIV, Ukraine (AP) \u2014 The mayor said the city "
        "would hold.\n\nU.S.-Russia ties worsened, Obama said."
    )
    analysis = analyse(text)
    assert said(analysis, "an American story")[0][0] == "Barack Obama"
    sentences = [text[s.start : s.end] for s in analysis.sentences]
    assert sentences[0] == "WASHINGTON --"
    assert "KYIV, Ukraine (AP) \u2014" in sentences
    assert sentences[-1] == "U.S.-Russia ties worsened, Obama said."


def test_an_editors_note_or_a_section_heading_before_a_colon_is_no_speaker():
    analysis = analyse(
        "Party rules under review\n\nDon Fowler spoke on Sunday.\n\n"
        "Veto Power Impedes Peace Efforts: Eliminating war is one of the goals of the "
        "United Nations.\n\n"
        "CLARIFICATION: The first sentence has been clarified to reflect his view."
    )
    assert [s.cue_lemma for s in analysis.statements] == []


def test_a_title_case_headline_verb_is_not_part_of_a_name_and_its_label_speaks():
    analysis = analyse(
        "Obama Says Museum Will Tell of Suffering\n\nSanders: Clinton needs a new message\n\n"
        "President Barack Obama opened the museum. Bernie Sanders spoke on Friday."
    )
    assert not [a for a in analysis.actors if "Says" in a.name]
    assert said(analysis, "Clinton needs a new message")[0][0] == "Bernie Sanders"


def test_a_headline_verb_the_article_never_writes_again_is_not_part_of_a_name():
    analysis = analyse(
        "Clinton Breaks With Obama On 9/11 Lawsuit Bill\n\n"
        "Hillary Clinton disagrees with President Barack Obama. Bernie Sanders agrees."
    )
    assert [a.name for a in analysis.actors if a.kind == "person"] == [
        "Hillary Clinton",
        "Barack Obama",
        "Bernie Sanders",
    ]


def test_a_word_capitalised_only_to_start_a_headline_is_no_actor():
    analysis = analyse(
        "Curfew lifted, but city still in limbo\n\n"
        "Late on Sunday the city lifted a midnight curfew, a spokesman said."
    )
    assert [a.name for a in analysis.actors if a.name.lower() == "curfew"] == []
    assert [d.grantor for d in analysis.decisions] == ["city"]


DECISIONS = "\n".join(
    [
        "Court bars plant from reopening",
        "",
        "The Supreme Court this month rejected a request from Democrats in Ohio to "
        "restore an extra week of early voting.",
        "The regional court barred Meridane Energy from filling the reservoir above 212 "
        "metres until the council is consulted.",
        "According to US officials, Kiev was previously not allowed to deploy American "
        "arms outside its territory.",
        "The ministry will allow shipping companies to dock at night, but only vessels "
        "under 200 metres.",
        "",
    ]
)


@pytest.fixture(scope="module")
def decisions() -> Analysis:
    return analyse(DECISIONS)


def decision_in(analysis: Analysis, number: int):
    [decision] = [d for d in analysis.decisions if d.sentence == number]
    grantor = analysis.actor(decision.grantor).name if decision.grantor else None
    grantee = analysis.actor(decision.grantee).name if decision.grantee else None
    text = lambda span: analysis.text[span.start : span.end] if span else None  # noqa: E731
    return decision, grantor, grantee, text(decision.action), text(decision.limits)


def test_rejecting_someones_request_denies_the_one_who_made_it(decisions):
    decision, grantor, grantee, _, _ = decision_in(decisions, 2)
    assert (decision.effect, grantor, grantee) == ("deny", "Supreme Court", "Democrats")


def test_barring_someone_from_doing_something_names_both_and_the_limits(decisions):
    decision, grantor, grantee, action, limits = decision_in(decisions, 3)
    assert (decision.effect, grantee) == ("deny", "Meridane Energy")
    assert grantor == "regional court"
    assert action.startswith("filling the reservoir")
    assert limits.startswith("until the council is consulted")


def test_a_passive_refusal_names_the_one_refused_and_keeps_the_negation(decisions):
    decision, grantor, grantee, action, _ = decision_in(decisions, 4)
    assert (decision.effect, decision.negated, grantee) == ("grant", True, "Ukraine")
    assert grantor is None and action.startswith("deploy American arms")


def test_a_future_permission_with_limits(decisions):
    decision, grantor, grantee, action, limits = decision_in(decisions, 5)
    assert (decision.mood, grantor, grantee) == ("future", "ministry", "shipping companies")
    assert action.startswith("dock at night") and limits.startswith("only vessels")


def test_what_an_authority_says_someone_must_or_may_not_do_is_its_decision():
    """A regulator's conditions on a merger (Dow Jones, 2009) were found nowhere: "The FTC
    said Schering-Plough must sell its rolapitant-related assets to Opko Health within 10
    days", "Under the terms of an agreement with the FTC, Merck must sell its interest in
    Merial". A senator's "must" is an opinion, not a decision."""
    analysis = analyse(
        "The FTC said Schering-Plough must sell its assets to Opko within 10 days. Under "
        "the terms of an agreement with the FTC, Merck must sell its interest in Merial, "
        "while Schering-Plough must sell other assets. The court ruled that the city may not "
        "close the shelter. Senator Tom Hale said Congress must act now."
    )
    found = [decision_in(analysis, number) for number in (1, 2, 3)]
    assert [(d.effect, grantor, grantee) for d, grantor, grantee, _, _ in found] == [
        ("require", "FTC", "Schering-Plough"),
        ("require", "FTC", "Merck"),
        ("deny", "court", "city"),
    ]
    assert found[0][4] == "within 10 days"
    assert found[1][3] == "sell its interest in Merial"  # not the clause after "while"
    assert not [d for d in analysis.decisions if d.sentence == 4]


def test_a_ticker_in_brackets_neither_breaks_the_phrase_nor_names_an_actor():
    """ "cleared Merck & Co.'s (MRK) $41 billion acquisition of Schering-Plough Corp. (SGP)":
    the parser broke the phrase at the ticker, and "MRK" was an actor granted "Merck &
    Co.'s (MRK"."""
    analysis = analyse(
        "The U.S. Federal Trade Commission on Thursday cleared Merck & Co.'s (MRK) $41 "
        "billion acquisition of Schering-Plough Corp. (SGP). The FTC said the sale was needed."
    )
    assert [a.name for a in analysis.actors if a.name in {"MRK", "SGP"}] == []
    decision, grantor, grantee, action, _ = decision_in(analysis, 1)
    assert (decision.effect, grantee) == ("grant", "Merck & Co.")
    assert action.endswith("acquisition of Schering-Plough Corp.")
    # the initials and the name spelt out with its country are one actor, named in full
    assert grantor == "U.S. Federal Trade Commission"
    assert said(analysis, "the sale was needed")[0][0] == "U.S. Federal Trade Commission"
    analysis = analyse("FTC clears merger\n\nThe U.S. Federal Trade Commission said it agreed.")
    assert said(analysis, "it agreed")[0][0] == "U.S. Federal Trade Commission"


def test_let_us_is_a_proposal_and_a_passive_force_without_agent_is_no_ones_decision():
    analysis = analyse(
        '"Let Hillary and I sit there and just debate," Trump said. '
        "The council let the company build a dock near us. "
        "Ms. Wasserman Schultz was forced to step down as party chair.\n"
    )
    assert [(d.sentence, d.cue_lemma) for d in analysis.decisions] == [(2, "let")]


def test_a_city_named_alone_is_not_a_person_who_shares_its_name():
    analysis = analyse(
        "Charlotte Smith, a lawyer, said the protest was peaceful. Charlotte lifted its "
        "curfew on Sunday.\n"
    )
    smith = next(actor for actor in analysis.actors if actor.name == "Charlotte Smith")
    assert len(smith.mentions) == 1


def decided(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(effect, grantor name, grantee name, action words) of each decision in `text`."""
    analysis = analyse(text)

    def name(actor_id: str | None) -> str | None:
        actor = analysis.actor(actor_id) if actor_id else None
        return actor.name if actor else None

    return [
        (
            d.effect,
            name(d.grantor),
            name(d.grantee),
            text[d.action.start : d.action.end] if d.action else "",
        )
        for d in analysis.decisions
    ]


def test_a_phrasal_verb_decides_about_the_owner_of_what_it_strikes_down():
    assert decided("The Supreme Court struck down Texas's ban on abortion clinics.") == [
        ("deny", "Supreme Court", "Texas", "Texas's ban on abortion clinics")
    ]
    assert decided("Judge Gonzalo Curiel threw out the lawsuit filed by Ana Ruiz.") == [
        ("deny", "Gonzalo Curiel", "Ana Ruiz", "the lawsuit filed by Ana Ruiz")
    ]
    assert decided("The European Commission turned down a request from Google.") == [
        ("deny", "European Commission", "Google", "a request from Google")
    ]


def test_a_petition_named_again_is_denied_to_whoever_made_it_just_before():
    text = (
        "The Sierra Club filed a motion to halt the pipeline, arguing that the permit was "
        "rushed. Judge Maria Ortiz rejected that argument on Tuesday."
    )
    assert decided(text) == [("deny", "Maria Ortiz", "Sierra Club", "that argument")]
    decision = analyse(text).decisions[0]
    assert decision.named_in == decision.sentence - 1  # its evidence cites both sentences
    assert decided(
        "Lawyers for Acme Corp. asked the agency to delay the deadline. The request was "
        "denied by the Federal Trade Commission."
    )[-1][:3] == ("deny", "Federal Trade Commission", "lawyers for Acme Corp.")
    # a new petition ("a request") is nobody's the article reported before
    assert decided(
        "Greenpeace asked for a delay. The mayor rejected a request to delay the vote."
    ) == [("deny", "mayor", None, "delay the vote")]


def test_asking_someone_to_act_is_a_request_of_them_and_telling_them_is_an_order():
    assert decided("The Sierra Club asked the court to block the pipeline.") == [
        ("request", "court", "Sierra Club", "block the pipeline")
    ]
    assert decided("Greenpeace urged the European Commission to ban the pesticide.") == []
    assert decided("Pfizer sought approval from the Food and Drug Administration.")[0][:3] == (
        "request",
        "Food and Drug Administration",
        "Pfizer",
    )
    assert decided("Police officers told Jill Stein to leave.") == [
        ("require", "police officers", "Jill Stein", "leave")
    ]
    assert decided("Trump told reporters that he would win.") == []
    assert decided("Reporters asked Trump about his taxes.") == []


def test_rules_that_give_someone_authority_grant_it():
    assert decided("Party procedures give Donna Brazile authority to call a meeting.") == [
        ("grant", None, "Donna Brazile", "call a meeting")
    ]
    assert decided("Greenpeace gave Donna Brazile a book.") == []
    assert decided("The Justice Department granted asylum to Edward Snowden.") == [
        ("grant", "Justice Department", "Edward Snowden", "asylum")
    ]
    assert decided("The mayor extended the curfew.") == []


def test_whoever_vetoes_a_bill_did_not_issue_it():
    decisions = analyse(
        "President Obama vetoed the legislation on Friday. The legislation would end the "
        "exemption for Saudi Arabia."
    ).decisions
    assert [(d.cue_lemma, d.grantor) for d in decisions] == [("veto", "obama"), ("end", None)]


def test_eligibility_says_who_may_and_leaves_who_decides_open():
    assert decided("Stein, who is ineligible to participate in the debate, was removed.") == [
        ("deny", None, "Stein", "participate in the debate")
    ]
    [decision] = analyse("Fathers would not be eligible for the paid leave.").decisions
    assert (decision.effect, decision.negated, decision.mood) == ("grant", True, "hypothetical")


def test_qualifying_under_someones_plan_is_a_permission_of_theirs():
    assert decided(
        "Donald Trump spoke. His team has said single people and families would qualify for "
        "the tax breaks under Trump's child-care plan."
    ) == [("grant", "Donald Trump", "families", "the tax breaks under Trump's child-care plan")]
    # the parser takes the clause's subject for the object of "said"
    assert decided(
        "Senator Ann Lee spoke. Her team has said single people and families - gay, straight, "
        "adoptive and foster - would qualify for the tax breaks under Lee's broader plan."
    ) == [("grant", "Ann Lee", "families", "the tax breaks under Lee's broader plan")]
    assert decided("Under Clinton's policy, students would be eligible for free tuition.") == [
        ("grant", "Clinton", "students", "free tuition")
    ]


def test_dismissing_decides_only_about_a_filing():
    assert decided("Greenpeace sued the city in March. Judge Tom Hall dismissed the lawsuit.") == [
        ("deny", "Tom Hall", "Greenpeace", "the lawsuit")
    ]
    assert decided("Ivana Trump dismissed those reports as false.") == []
    assert decided("A federal judge dismissed the charges against Bob Menendez.") == []


def test_finding_a_thing_unlawful_forbids_it_to_its_owner():
    assert decided("A federal judge, Algenon Marbley, found Ohio's law unconstitutional.")[0][
        :3
    ] == ("deny", "Algenon Marbley", "Ohio")
    assert decided("The court found that the policy of Ohio was illegal.") == [
        ("deny", "court", "Ohio", "the policy of Ohio")
    ]
    assert decided("Maria Lopez found the story unconvincing.") == []


def test_a_surname_the_recogniser_missed_is_the_one_person_of_that_name():
    analysis = analyse(
        "Rep. Adam Schiff called on the president to act. Schiff told reporters on "
        "Wednesday that the hack was troubling."
    )
    assert said(analysis, "the hack was troubling")[0][0] == "Adam Schiff"
    assert not [a for a in analysis.actors if a.name == "Schiff"]


def test_a_surname_the_tagger_took_for_a_noun_is_still_the_person():
    analysis = analyse(
        "The Latest: Trump urges supporters to monitor polling places.\n\n"
        "Donald Trump spoke in Ohio on Monday."
    )
    assert said(analysis, "to monitor polling places")[0][0] == "Donald Trump"


def test_a_named_apposition_just_before_the_verb_names_the_speaker():
    analysis = analyse(
        "His former business partner at Lenox, Lawrence B. Cummings, called him a master "
        "at bolting together deals."
    )
    assert said(analysis, "a master")[0][0] == "Lawrence B. Cummings"


def test_a_cue_the_lemmatiser_misreads_is_still_a_cue():
    """spaCy's lemma of "hopes" and "hoped" is "hop"."""
    analysis = analyse(
        "Ultimately, Mr. Clarke hopes to offset all of the expected emissions. Mr. Clarke "
        "hoped electric utilities would count his credits."
    )
    assert said(analysis, "to offset")[0][0] == "Clarke"
    assert said(analysis, "utilities would count")[0][0] == "Clarke"


def test_being_critical_or_confident_is_a_stance():
    analysis = analyse(
        "Lindsey Graham has been critical of Trump since the primary. Analysts were "
        "skeptical that the plan would work."
    )
    assert said(analysis, "of Trump") == [("Lindsey Graham", "of Trump")]
    assert said(analysis, "the plan would work") == [("analysts", "the plan would work")]
    assert {s.cue_kind for s in analysis.statements} == {"stance"}


def test_a_verb_whose_object_is_an_act_of_speech_reports_it_in_its_own_words():
    from briefer.rules.voices import voice_items

    analysis = analyse(
        "President Barack Obama sounded a call for the United States to accept more "
        "refugees. The Security Council issued a statement calling the test a violation. "
        "The company made a profit last year."
    )
    positions, _ = voice_items(analysis)
    assert [p.stance for p in positions] == [
        "Barack Obama sounded a call for the United States to accept more refugees.",
        "Security Council issued a statement calling the test a violation.",
    ]


def test_a_cue_is_shown_in_the_articles_own_words_and_a_purpose_is_no_statement():
    """ "went on to discuss" is shown whole, never as a tense the article did not write; "called
    a meeting to discuss the test" says what the meeting is for, not what was said."""
    analysis = analyse(
        "Pat Caddell went on to say the race was close. In a speech, Hillary Clinton laid "
        "out her proposals to increase national service. The U.N. called an emergency "
        "meeting to announce the test results."
    )
    stances = stances_of(analysis)
    assert "Pat Caddell went on to say the race was close." in stances
    assert "Hillary Clinton laid out her proposals to increase national service." in stances
    assert not [stance for stance in stances if "the test" in stance]  # not "announced"


def test_words_before_or_around_their_cue_are_shown_without_repeating_the_speaker():
    """A parenthetical cue is shown in the article's sentence, which names the speaker; a
    participle with an agent is shown as the agent's verb before what it is about."""
    analysis = analyse(
        "The latest test, North Korea said, was its biggest yet. A viewpoint contradicted "
        "by NATO chief Jens Stoltenberg. The plan, criticized by Senator Tom Hale, failed."
    )
    stances = stances_of(analysis)
    assert stances == [
        "The latest test, North Korea said, was its biggest yet.",
        "Jens Stoltenberg contradicted a viewpoint.",
        "Tom Hale criticized the plan.",
    ]


def test_a_cue_is_shown_as_said_only_before_a_clause_and_a_participle_in_the_past():
    """On real news "said" stood for every cue: "Japan said North Korea an outlaw nation",
    "the court said against Ohio's procedure". Before a phrase the cue's own verb governs,
    the article's verb stays; a participle is shown in the past, a judging verb neutral."""
    analysis = analyse(
        "A federal appeals court ruled against the state's procedure on Friday. Japan "
        "branded North Korea an outlaw nation. Senator Tom Hale expressed deep concern "
        "about the plan. Defending the tweets, Maria Ortega said they were fair. Governor "
        "Ann Reyes insisted that the plan would work. Mayor Lee Park slammed the council "
        "for the delay."
    )
    stances = stances_of(analysis)
    assert "The federal appeals court ruled against the state's procedure." in stances
    assert "Japan branded North Korea an outlaw nation." in stances
    assert "Tom Hale expressed deep concern about the plan." in stances
    assert "Maria Ortega defended the tweets." in stances
    assert "Ann Reyes said the plan would work." in stances
    assert "Lee Park criticised the council for the delay." in stances
    # a modal stays: "would consider it an insult" is not "considered it an insult"
    analysis = analyse("Senator Tom Hale would consider it an insult if the plan failed.")
    assert stances_of(analysis) == ["Tom Hale would consider it an insult."]


def test_a_described_speaker_takes_the_and_the_words_after_it_lose_their_opening_capital():
    """ "Study found 31 incidents", "According to recent Reuters survey, The current policy":
    the name of a description drops the article's "a" or "the", and briefer restores one."""
    analysis = analyse(
        "The current policy helps Republicans, according to a recent Reuters survey. A "
        "study found 31 incidents of fraud. Democrats said the policy was unfair."
    )
    stances = stances_of(analysis)
    assert "According to the recent Reuters survey, the current policy helps Republicans." in (
        stances
    )
    assert "The study found 31 incidents of fraud." in stances
    assert "Democrats said the policy was unfair." in stances


def test_a_possessors_claim_or_remarks_are_their_statement():
    analysis = analyse(
        "Donald Trump's claim that he opposed the war is false. It is hard to assess North "
        "Korea's claims about the potency of its test. His claim that he won is false."
    )
    stances = stances_of(analysis)
    assert "Donald Trump said he opposed the war." in stances
    assert "North Korea's claims about the potency of its test." in stances
    assert not [stance for stance in stances if "he won" in stance]  # whose, it does not say


def test_a_denial_is_no_claim_and_a_negated_or_unavailable_cue_says_nothing():
    """ "The company's denial that it polluted" must never read "the company said it polluted";
    "were not skeptical" and "not available to comment" attribute nothing."""
    from briefer.rules.voices import voice_items

    analysis = analyse(
        "The company's denial that it had polluted the river was rejected. Analysts were not "
        "skeptical that the plan would work. Representatives for Smith were not available to "
        "comment on the deal. EDITOR'S NOTE: An earlier version misstated the date."
    )
    assert voice_items(analysis)[0] == []


def test_a_stance_adjective_is_shown_with_all_its_be():
    analysis = analyse("Lindsey Graham has long been critical of Trump.")
    assert stances_of(analysis) == ["Lindsey Graham has long been critical of Trump."]


def test_a_role_is_the_persons_own_not_the_words_of_a_name_joined_before_it():
    """ "after a tough push from both President Obama and Republican presidential nominee
    Donald Trump": Trump's role had been "both President Obama and Republican presidential
    nominee", Obama's "both President"."""
    analysis = analyse(
        "Europe agreed to act after a tough push from both President Obama and Republican "
        "presidential nominee Donald Trump over their defense spending. The 27 leaders - "
        "British Prime Minister Theresa May was absent - met in Bratislava."
    )
    assert actor_named(analysis, "Donald Trump").role == "Republican presidential nominee"
    assert actor_named(analysis, "Obama").role == "President"
    assert actor_named(analysis, "Theresa May").role == "British Prime Minister"


def test_a_person_first_named_untitled_takes_a_later_title_as_role():
    analysis = analyse(
        "Clinton Breaks With Obama On Lawsuit Bill\n\n"
        "President Obama appears set to veto the bill. Families say the president's claims "
        "about retaliation are unfounded."
    )
    assert actor_named(analysis, "Obama").role == "President"
    [claim] = [s for s in analysis.statements if s.cue_lemma == "'s claim"]
    assert analysis.actor(claim.speaker).name == "Obama"


def test_a_stance_adjective_is_shown_with_its_be_and_a_named_object_is_a_stance():
    from briefer.rules.voices import voice_items

    analysis = analyse(
        "Analysts were deeply skeptical that the plan would work. Cruz has endorsed Trump. "
        "Trump told CNN."
    )
    positions, _ = voice_items(analysis)
    assert [p.stance for p in positions] == [
        "Analysts were deeply skeptical the plan would work.",
        "Cruz endorsed Trump.",
    ]


def test_continued_before_a_colon_hands_the_next_paragraph_to_its_speaker():
    analysis = analyse(
        'Pat Caddell said the numbers were striking.\n\nCaddell continued:\n\n"The health '
        'issue is very much a partisan issue."\n'
    )
    assert said(analysis, "very much a partisan issue")[0][0] == "Pat Caddell"


def test_speaking_of_something_attributes_it():
    analysis = analyse(
        "President Obama spoke of the suffering of enslaved people. Mayor Ines Dahl "
        "encouraged voters to turn out."
    )
    assert said(analysis, "the suffering of enslaved people")[0][0] == "Obama"
    assert said(analysis, "voters to turn out")[0][0] == "Ines Dahl"


def test_identifying_something_as_a_reason_is_a_stance():
    analysis = analyse(
        "Sen. Bernie Sanders identified young voters' exhaustion with bigotry as one of the "
        "reasons for hope."
    )
    assert said(analysis, "exhaustion with bigotry")[0][0] == "Bernie Sanders"


def test_an_abbreviation_is_its_organisation_and_never_a_persons_surname():
    analysis = analyse(
        "North Korean leader Kim Jong Un ordered the test. The U.N. Security Council "
        "condemned it, and the United Nations Security Council will meet again. The U.N. "
        "said it would act."
    )
    kim = actor_named(analysis, "Kim Jong Un")
    assert "U.N." not in kim.aliases and len(kim.mentions) == 1
    council = actor_named(analysis, "U.N. Security Council")
    assert council.aliases == ["United Nations Security Council"]


def test_a_countrys_dotted_initials_are_the_country():
    analysis = analyse(
        "The U.S. had accepted 11,491 Syrian refugees by August. The United States said it "
        "would accept more."
    )
    assert [a.name for a in analysis.actors if a.kind == "government"] == ["United States"]


def test_the_president_is_never_the_vice_president():
    analysis = analyse(
        "President Barack Obama opened the museum on Saturday. Vice President Joseph R. "
        'Biden Jr. introduced him. "We are not a burden on America," the president said.'
    )
    assert said(analysis, "not a burden on America")[0][0] == "Barack Obama"


def test_a_title_is_never_a_person_named_to_another_office_or_to_none():
    analysis = analyse(
        "Gov. Jane Okafor signed the budget on Monday. The mayor, who said the plan would "
        "fail, voted for it anyway. Sen. Tom Hale spoke next. The senator said it was a mistake."
    )
    assert "Jane Okafor" not in [name for name, _ in said(analysis, "the plan would fail")]
    assert said(analysis, "it was a mistake")[0][0] == "Tom Hale"
    analysis = analyse(
        "Maria Ortega said the tweets were fair. The governor insisted that the plan would work."
    )
    assert "Maria Ortega" not in [name for name, _ in said(analysis, "the plan would work")]


def test_what_someone_says_in_an_unmarked_relative_clause_ends_where_the_clause_does(example):
    # "the UK, whose Foreign Secretary ... stated that ..., had not given": the parser reads
    # "had not given" as part of what Cameron stated; it is what Zelensky says of the UK
    cameron = [words for name, words in said(example, "has the right") if name == "David Cameron"]
    assert cameron == ["Ukraine \u201chas the right\u201d to launch British weapons at Russia"]


def test_an_agent_of_a_participle_of_stance_holds_it():
    analysis = analyse(
        "Charter schools, promoted by Governor Ines Dahl, have grown. The plan, drafted by "
        "Tom Hale, failed."
    )
    assert said(analysis, "Charter schools") == [("Ines Dahl", "Charter schools")]
    assert not said(analysis, "plan")  # "drafted" is no cue


def test_an_opening_participle_of_speech_is_said_by_the_main_clause_subject():
    # the parser reads "Claiming ..." as the subject of "is designed"
    analysis = analyse(
        "Claiming the criticism of Lauer is designed to pressure moderators, Donald Trump "
        "said he would be fine."
    )
    assert said(analysis, "criticism") == [
        ("Donald Trump", "the criticism of Lauer is designed to pressure moderators")
    ]


def test_a_document_named_again_speaks_for_whoever_issued_it():
    analysis = analyse(
        "After a meeting, the Security Council issued a statement calling the test a clear "
        "violation. The statement noted that further measures would follow."
    )
    assert said(analysis, "further measures would follow")[0][0] == "Security Council"
    # a document nobody is said to have issued is a voice of its own
    alone = analyse("The report noted that further measures would follow.")
    assert said(alone, "further measures would follow")[0][0] == "report"


def test_it_is_never_a_plural_and_they_is_one_where_the_article_names_one():
    analysis = analyse(
        "Critics said the program had failed, and the Commerce Department agreed to meet "
        "them. It said the rules would change. They said the rules were unfair."
    )
    assert said(analysis, "the rules would change")[0][0] == "Commerce Department"
    assert said(analysis, "the rules were unfair")[0][0].lower() == "critics"


def test_a_cue_the_tagger_took_for_a_noun_still_attributes_when_it_has_a_subject():
    assert said(analyse("But Trump claims that he should be the exception."), "exception") == [
        ("Trump", "he should be the exception")
    ]
    # in context the parser may read "Trump claims" as one noun: the name is the subject
    after_running_mate = analyse(
        "Trump's running mate, Indiana Gov. Mike Pence, plans to release his own returns "
        "soon.\n\nBut Trump claims that he should be the exception."
    )
    assert said(after_running_mate, "exception") == [("Trump", "he should be the exception")]


def test_a_name_never_runs_over_a_verb():
    analysis = analyse(
        "In a tweet about the system, Trump accused Holt of being a Democrat. Lester Holt "
        "declined to comment."
    )
    assert [a.name for a in analysis.actors] == ["Trump", "Lester Holt"]


def test_fears_and_concerns_voiced_are_cautions():
    from briefer.rules.voices import voice_items

    analysis = analyse(
        "Voting advocates were concerned that the policy would remove eligible voters. "
        "Mayor Ines Dahl fears the bridge will close. The union expressed deep concern "
        "about the plan. Maria Lopez was happy that the park would open."
    )
    _, warnings = voice_items(analysis)
    issued = {analysis.actor(w.issuer).name: w.kind for w in warnings}
    assert issued == {"voting advocates": "caution", "Ines Dahl": "caution", "union": "caution"}


def test_harm_or_the_future_spoken_of_is_a_warning_and_a_plain_fact_is_not():
    from briefer.rules.voices import voice_items

    analysis = analyse(
        '"It is going to be a very unfair debate," Ines Dahl said. "We must break this '
        'spiral of escalation," Ban Ki-moon told reporters. "If she gets back out there too '
        'soon, it might happen again," Don Fowler said. "We will visit Ohio next week," '
        'Maria Lopez said. Residents said the noise was a danger to their children. "We '
        'visited Ohio last week," Tom Hale said. Senator Ann Lee opposed the sanctions. '
        "Chief Kerr Putney said the video was not from an angle that would show a gun. "
        "Bernard Kouchner said sanctions were not being discussed in Geneva. Anna Berg said "
        "the accounts fail to show the entire picture."
    )
    _, warnings = voice_items(analysis)
    issued = {analysis.actor(w.issuer).name: w.kind for w in warnings}
    assert issued == {
        "Ines Dahl": "prediction",
        "Ban Ki-moon": "caution",
        "Don Fowler": "prediction",
        "Maria Lopez": "prediction",
        "residents": "caution",
    }  # "an angle that would show": a future that describes a thing foretells nothing;
    # sanctions talked of are a policy, not harm (a threat of them is: "will face sanctions");
    # "fail to show" is no failure foretold
    headline = analyse(
        "Rebels attack city - Ana Ruiz\nGeneral Ana Ruiz said the rebels attacked the city."
    )
    assert [s.sentence for s in headline.statements] == [1, 2]
    warned = [w.evidence[0].quote for w in voice_items(headline)[1]]
    assert warned == ["the rebels attacked the city"]  # a headline's "attack" is its story


def test_an_indefinite_title_in_the_lede_is_the_one_person_named_later_with_that_role():
    analysis = analyse(
        "Judge rejects request to unseal file\n\n"
        "A New York judge has rejected a media request to unseal a court file. "
        "Manhattan Supreme Court Justice Frank Nervo wrote that the file stays sealed."
    )
    nervo = actor_named(analysis, "Frank Nervo").id
    assert [d.grantor for d in analysis.decisions] == [nervo, nervo]
    assert not [a for a in analysis.actors if "judge" in a.name.lower()]


def test_a_role_does_not_start_with_a_relative_possessive(example):
    assert actor_named(example, "David Cameron").role == "Foreign Secretary"


def test_an_instrument_decides_for_whoever_made_it():
    assert decided(
        "The Environmental Protection Agency's Clean Power Plan requires states to cut "
        "emissions by 2030."
    ) == [("require", "Environmental Protection Agency", "states", "cut emissions by 2030")]
    assert decided("A law passed by the Ohio legislature bars felons from voting.")[0][:2] == (
        "deny",
        "Ohio legislature",
    )


def test_blocking_a_permission_denies_the_one_it_would_allow_and_the_bill_still_allows():
    assert [
        d[:3]
        for d in decided(
            "Governor Ann Cole is expected to veto a bill that would allow dairy farmers to sell "
            "raw milk."
        )
    ] == [("deny", "Ann Cole", "dairy farmers"), ("grant", None, "dairy farmers")]


def test_a_gerund_after_a_possessed_goal_is_its_owners_and_counted_people_are_not_owned():
    assert [
        d[:3]
        for d in decided(
            "The ministry said it had met its goal of admitting 5,000 students from Chile."
        )
    ] == [("grant", "ministry", "students from Chile")]


def test_the_addressee_of_tell_is_not_what_was_told():
    analysis = analyse(
        "Congress could still pass the bill this year if the senators agree, Sen. Maria Lopez "
        "(D-Calif.) told Reuters on Thursday."
    )
    assert said(analysis, "pass the bill") == [
        ("Maria Lopez", "Congress could still pass the bill this year if the senators agree")
    ]


def test_a_cue_in_a_clause_of_time_does_not_take_the_quotation_before_it():
    analysis = analyse(
        'The ad ends with footage of Grant saying, "We will win," when Maria Lopez '
        "attacked him for missing the vote."
    )
    assert [speaker for speaker, _ in said(analysis, "We will win")] == ["Grant"]
    assert said(analysis, "missing the vote") == [("Maria Lopez", "him for missing the vote")]


def test_a_quotation_another_word_governs_is_not_the_cues():
    analysis = analyse(
        'Bemoaning the "rigged process," Maria Lopez accused the board of favoring her rival.'
    )
    assert said(analysis, "favoring her rival") == [
        ("Maria Lopez", "the board of favoring her rival")
    ]
    assert len(said(analysis, "rigged")) == 1  # bemoaning it, not accusing


def test_speech_a_decision_allows_or_bars_is_not_reported_speech():
    assert (
        said(analyse("The judge barred Maria Lopez from saying that the deal was void."), "void")
        == []
    )
    assert (
        said(analyse("The court allowed Maria Lopez to argue that the deal was void."), "void")
        == []
    )
    assert said(analyse("The rules let banks tell investors that the fund is safe."), "safe") == []


def test_admitting_that_something_is_so_concedes_it_and_allows_no_one():
    analysis = analyse("Lopez was forced to admit that the deal was void.")
    assert analysis.decisions == ()


def test_a_speaker_tag_after_a_question_belongs_to_the_quotation():
    analysis = analyse('"Who would have believed it?" Maria Lopez said, looking out at the crowd.')
    assert len(analysis.sentences) == 1
    assert said(analysis, "believed it") == [("Maria Lopez", '"Who would have believed it?"')]
    assert len(analyse('"Is this fair?" The question hangs over the talks.').sentences) == 2


def test_who_describes_the_person_not_the_organisation_in_their_title():
    analysis = analyse(
        '"These are strange days," said Peter Morgan, a lawyer for the Harlow Club, who has '
        "been challenging the coal industry for years."
    )
    assert said(analysis, "strange days") == [("Peter Morgan", '"These are strange days,"')]
    assert [speaker for speaker, _ in said(analysis, "coal industry")] == ["Peter Morgan"]


def test_a_cue_in_a_clause_of_place_owns_no_quotation():
    analysis = analyse(
        '"We will win the vote in the spring," Maria Lopez said on Saturday at a dinner in '
        "Denver, where Tom Grant also spoke."
    )
    assert [speaker for speaker, _ in said(analysis, "We will win")] == ["Maria Lopez"]


def test_mr_and_a_surname_is_not_the_first_lady_named_in_full_with_it():
    analysis = analyse(
        "President Obama spoke on Saturday. The campaign will use Mr. Obama and the first "
        'lady, Michelle Obama, in Ohio. "We will win," Mr. Obama said. Mrs. Obama said the '
        "vote mattered."
    )
    assert said(analysis, "We will win") == [("Obama", '"We will win,"')]
    assert said(analysis, "the vote mattered") == [("Michelle Obama", "the vote mattered")]
    family = analyse(
        "Donald Trump spoke. His daughter Ivanka Trump said the plan was fair. Mr. Trump said "
        "it was good."
    )
    assert said(family, "it was good") == [("Donald Trump", "it was good")]


def test_the_one_asked_is_not_the_one_who_asks():
    analysis = analyse("Asked about the deal, Maria Lopez said it was fair.")
    assert said(analysis, "the deal") == []
    assert said(analysis, "it was fair") == [("Maria Lopez", "it was fair")]


def test_he_is_no_one_the_article_calls_mrs():
    analysis = analyse("Mrs. Clinton met Don Fowler on Monday. He said the party was ready.")
    assert said(analysis, "the party was ready") == [("Don Fowler", "the party was ready")]


def test_a_decision_joined_to_another_does_not_take_its_grantee():
    assert [
        d[:3]
        for d in decided(
            "The court rejected the appeal and allowed the company to resume drilling."
        )
    ] == [("deny", "court", None), ("grant", "court", "company")]
    assert decided("The senator's criticism of banning books drew applause.") == []
    assert decided("The court said it rejected 40 requests from Ohio.")[0][:3] == (
        "deny",
        "court",
        "Ohio",
    )


def test_a_dependent_cue_still_takes_the_quotation_after_it():
    analysis = analyse('As the mayor said on Monday: "We are not going anywhere."')
    assert said(analysis, "not going anywhere") == [("mayor", '"We are not going anywhere."')]


def test_being_worried_is_a_stance_and_telling_reporters_after_stopping_is_said():
    assert said(analyse("Worried that prices would rise, the bank raised rates."), "prices")
    analysis = analyse("The president stopped to tell reporters that the talks were going well.")
    assert said(analysis, "talks") == [("president", "the talks were going well")]


def test_who_after_a_person_in_a_title_is_that_person():
    analysis = analyse(
        '"We will appeal," said Peter Morgan, a lawyer for Tom Hale, who has said he is innocent.'
    )
    assert said(analysis, "innocent") == [("Tom Hale", "he is innocent")]


def test_sex_comes_from_the_roles_own_head_and_a_husband_named_in_full_is_mr():
    lawyer = analyse(
        "Tom Hale, a lawyer for the victim's mother, spoke on Monday. He said the police had lied."
    )
    assert said(lawyer, "lied") == [("Tom Hale", "the police had lied")]
    couple = analyse(
        "Mary Smith and her husband, John Smith, run the farm. Mrs. Smith said the farm was "
        "small. Mr. Smith said the price was low."
    )
    assert said(couple, "small")[0][0] == "Mary Smith"
    assert said(couple, "price was low")[0][0] == "John Smith"


def test_a_question_quoted_after_its_own_cue_leaves_the_next_sentence_alone():
    analysis = analyse('Reporters asked Hale: "Will you resign?" Hale said he would not.')
    assert len(analysis.sentences) == 2


def test_a_clause_the_parser_broke_after_since_keeps_its_own_subject():
    # the parser reads "since Clinton" as a phrase and "cited" as joined to "targeting"
    analysis = analyse(
        "Donald Trump spoke on Friday. Trump has been targeting Machado since Clinton, at "
        "Monday's debate, cited derogatory comments Trump had made about Machado after she "
        "gained weight."
    )
    assert [name for name, _ in said(analysis, "derogatory comments")] == ["Clinton"]
    # a verb joined by "and" still shares the subject before it
    joined = analyse("Smith opened the store and, on Monday, said the rules were unfair.")
    assert said(joined, "the rules were unfair") == [("Smith", "the rules were unfair")]


def test_backing_favouring_or_promoting_something_is_a_stance():
    analysis = analyse(
        "Senator Tom Lee favors a tax cut. The Obama administration promoted charter "
        "schools. The union advocates stricter rules. Mayor Ann Ruiz backed away from the plan."
    )
    assert said(analysis, "a tax cut") == [("Tom Lee", "a tax cut")]
    assert said(analysis, "charter schools") == [("Obama administration", "charter schools")]
    assert said(analysis, "stricter rules") == [("union", "stricter rules")]
    assert said(analysis, "the plan") == []  # backing away is no backing
    assert stances_of(analysis)[:2] == [
        "Tom Lee favors a tax cut.",
        "The Obama administration promoted charter schools.",
    ]


def test_a_plural_description_is_no_one_person_and_adding_a_thing_says_nothing():
    analysis = analyse(
        "Senator Dianne Feinstein spoke first. But Mr. Grassley and Mr. Leahy said developers "
        "had defined these areas by adding a few low-income communities to wealthier "
        "neighborhoods, amounting to what the senators said was economic gerrymandering. "
        'Smith added that the plan was flawed. "It is bad," he added.'
    )
    assert [name for name, _ in said(analysis, "what the senators said")] == [
        "Grassley",
        "Leahy",
        "senators",
    ]
    assert all(name != "developers" for name, _ in said(analysis, "low-income"))
    assert [name for name, _ in said(analysis, "flawed")] == ["Smith"]
    assert [name for name, _ in said(analysis, "It is bad")] == ["Smith"]


def test_names_joined_as_one_subject_each_say_what_it_says():
    analysis = analyse(
        "But Mr. Grassley and Mr. Leahy say other changes are needed. Senator Tom Lee and "
        "his aides said the rules were unfair."
    )
    assert [name for name, _ in said(analysis, "other changes")] == ["Grassley", "Leahy"]
    assert [name for name, _ in said(analysis, "the rules were unfair")] == ["Tom Lee"]


def test_what_someone_needs_or_is_expected_to_say_is_not_said_but_a_plan_is_theirs():
    analysis = analyse(
        "Donald Trump needs to tell the truth about things. Smith is expected to testify "
        "that the deal failed. Ann Ruiz went on to say the rules were unfair. Clinton plans "
        "to call on young people to serve."
    )
    assert [name for name, _ in said(analysis, "")] == ["Ann Ruiz", "Clinton"]


def test_her_and_his_in_a_persons_own_clause_say_their_sex_for_later_pronouns():
    analysis = analyse(
        "Hillary Clinton released her tax returns in August. Don Fowler said "
        "he expects Clinton to recover from her bout with pneumonia. He added a note of "
        'caution, should Clinton attempt a quick return. "She better get well," he said.'
    )
    assert said(analysis, "She better get well")[0][0] == "Don Fowler"
    # one "her" after a name is not enough: it may be someone else's
    once = analyse("Donald Trump mocked her weight on Monday. He said the debate was rigged.")
    assert said(once, "rigged")[0][0] == "Donald Trump"


def test_a_gerund_after_despite_is_said_by_its_own_subject_not_the_main_clauses():
    analysis = analyse(
        "Mitch McConnell and Paul Ryan remain confident despite a few early supporters of the "
        "bill, such as senator Bob Corker, R-Tenn., and Lindsey Graham, R-S.C., now saying "
        "they think it should be changed. Ryan spoke on Monday, saying the bill would pass."
    )
    assert [name for name, _ in said(analysis, "it should be changed")][:1] == ["early supporters"]
    assert [name for name, _ in said(analysis, "the bill would pass")] == ["Paul Ryan"]
    filed = analyse(
        "The Republican National Committee is filing a complaint Monday with the city's "
        "oversight board, claiming that the aide had a conflict of interest."
    )
    assert said(filed, "conflict of interest")[0][0] == "Republican National Committee"
