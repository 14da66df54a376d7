"""facts.claims: splitting posts, reading figures, and the four findings on the seed."""

from __future__ import annotations

import pytest

from facts.answer import IndexedFacts
from facts.claims import (
    AsideReason,
    Conflict,
    Finding,
    amounts,
    check_claim,
    check_post,
    looks_like_post,
    split_post,
)
from facts.claims.figures import dates_in
from facts.claims.match import person_speaker
from facts.claims.views import assessment, fact_view
from facts.model import Bundle


@pytest.fixture(scope="module")
def base(seed: Bundle) -> IndexedFacts:
    return IndexedFacts(seed.facts)


@pytest.fixture(scope="module")
def seed() -> Bundle:
    from facts.seed import load_seed

    return load_seed()


def test_a_post_is_cut_into_claims_and_asides() -> None:
    claims, aside = split_post(
        "BREAKING: Mike Pompeo visited Belarus in February 2020 and met Lukashenko. "
        "He offered American oil; the talks went on. Long live Belarus! "
        "Why is nobody talking about this? I think the regime will fall soon."
    )
    assert [c.text for c in claims] == [
        "Mike Pompeo visited Belarus in February 2020",
        "met Lukashenko",
        "He offered American oil",
        "the talks went on",
    ]
    # A clause without its own subject is matched with the names of the one before.
    assert "Pompeo" in claims[1].query and "Pompeo" in claims[2].query
    assert [a.reason for a in aside] == [
        AsideReason.SLOGAN,
        AsideReason.QUESTION,
        AsideReason.OPINION,
    ]


def test_only_the_opinion_part_of_a_clause_is_set_aside() -> None:
    claims, aside = split_post("There are about a hundred prisoners, all of them criminals.")
    assert [c.text for c in claims] == ["There are about a hundred prisoners"]
    assert [a.text for a in aside] == ["all of them criminals."]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("at least 1,486 political prisoners", 1486, float("inf")),
        ("only about a hundred prisoners", 85, 115),
        ("thousands of people", 1000, 9999),
        ("eight Belarusian officials", 7.92, 8.08),
        ("не менее 1 486 политзаключённых", 1486, float("inf")),
        ("сотни студентов", 100, 999),
        ("only a few hundred people", 200, 999),
        ("несколько тысяч человек", 2000, 9999),
        # A scale word multiplies the figure before it; "hundreds of thousands" stays vague.
        ("9.2 million people", 9_108_000, 9_292_000),
        ("каля 9,2 мільёна чалавек", 7_820_000, 10_580_000),
        ("около 30 тысяч человек", 25_500, 34_500),
        ("сотни тысяч людей", 100_000, 999_999),
    ],
)
def test_figures_are_read_with_their_qualifiers(text: str, low: float, high: float) -> None:
    (amount,) = amounts(text)
    assert (round(amount.low, 2), round(amount.high, 2)) == (low, high)


def test_dates_are_not_figures() -> None:
    assert [a.low for a in amounts("On 2 October 2020 the US sanctioned 8 officials")] == [7.92]
    assert amounts("The debate was held on 18/08/2020 (or 2020-08-18, or 18.08.2020)") == []


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("held on 18/08/2020", {(2020, 8)}),
        ("held on 18.08.2020", {(2020, 8)}),
        ("the report of 2020-12-01", {(2020, 12)}),
        ("in autumn 2019", {(2019, 9), (2019, 10), (2019, 11)}),
        ("восенню 2019 года", {(2019, 9), (2019, 10), (2019, 11)}),
        ("весной", {(0, 3), (0, 4), (0, 5)}),
    ],
)
def test_dates_in_figures_and_seasons_name_their_months(
    text: str, months: set[tuple[int, int]]
) -> None:
    assert dates_in(text).months == months


def test_a_long_text_of_several_sentences_reads_as_a_post() -> None:
    assert looks_like_post(
        "The OSCE counted at least 1,486 political prisoners in May 2023. Hundreds of "
        "students marched across Minsk in September 2020, the news said."
    )
    assert not looks_like_post("How many political prisoners are there in Belarus?")
    assert not looks_like_post("Short. Text.")


@pytest.mark.parametrize(
    ("text", "post"),
    [
        # Two statements or more make a post, however short, whatever it ends with.
        (
            "Lukashenko won 80 percent of the vote in a free and fair election. Nobody was "
            "detained after the election, and the West keeps lying about political "
            "prisoners. Why is nobody talking about this?",
            True,
        ),
        (
            "В Беларуси нет политзаключённых. Евросоюз ввёл санкции против Лукашенко в "
            "2021 году. Китай осудил выборы.",
            True,
        ),
        ("Ніхто не быў затрыманы. Выбары былі сумленнымі.", True),
        # Two-word statements count: a subject and its verb or predicate.
        ("Лукашенко — президент. Его признали все страны. Почему об этом молчат?", True),
        ("Lukashenko won. All countries recognised him. Why is nobody talking about this?", True),
        ("Лукашэнка перамог. Яго прызналі ўсе краіны.", True),
        # One statement and a question, questions alone, greetings: a question.
        ("I read that Lukashenko won 80 percent. Is that true?", False),
        ("How many political prisoners are there? And in 2020?", False),
        ("Hello. Who is Lukashenko?", False),
        ("Привет! Сколько политзаключённых в Беларуси сейчас?", False),
    ],
)
def test_a_post_is_several_statements_not_its_last_mark(text: str, post: bool) -> None:
    assert looks_like_post(text) is post


@pytest.mark.parametrize(
    ("claim", "finding", "conflict"),
    [
        ("At least 1,486 political prisoners were held in Belarus in May 2023", "support", None),
        ("Only about a hundred political prisoners are held in Belarus", "contradict", "number"),
        ("The OSCE Moscow Mechanism was introduced in 2011", "contradict", "date"),
        ("Ambassador Gilmore met Tikhanovskaya in Warsaw", "contradict", "place"),
        ("Nobody was detained after the election", "contradict", "negation"),
        ("The 2020 presidential election was free and fair", "contradict", "assessment"),
        ("Tikhanovskaya won two thirds of the vote", "context", None),
        ("Ryanair flight was forced to land in Minsk", "nothing", None),
        ("The national football team lost to Norway on Saturday", "nothing", None),
    ],
)
def test_findings(base: IndexedFacts, claim: str, finding: str, conflict: str | None) -> None:
    result = check_claim(claim, base)
    assert result.finding is Finding(finding)
    assert result.conflict == (Conflict(conflict) if conflict else None)
    assert bool(result.facts) == (result.finding is not Finding.NOTHING)


@pytest.mark.parametrize(
    ("claim", "finding"),
    [
        ("There are more than 1,000 political prisoners in Belarus", "support"),
        ("Belarus holds 1,486 political prisoners", "support"),
        # Not denied by "at least 1,486", but not stated by it either.
        ("There are at least 5,000 political prisoners in Belarus", "context"),
        ("В Беларуси не менее 5000 политзаключённых", "context"),
    ],
)
def test_a_figure_backs_a_claim_only_when_the_claim_allows_it(
    base: IndexedFacts, claim: str, finding: str
) -> None:
    result = check_claim(claim, base)
    assert result.finding is Finding(finding)
    # Context of its own kind: the sources give another figure, not someone's claim.
    assert result.conflict == (Conflict.NUMBER if finding == "context" else None)


def test_a_figure_for_another_year_is_not_a_contradiction(base: IndexedFacts) -> None:
    result = check_claim("There were 1,200 political prisoners in Belarus in 2025", base)
    assert result.finding is Finding.NOTHING


def test_a_post_is_checked_whole(base: IndexedFacts) -> None:
    result = check_post(
        "Lukashenko won 80 percent of the vote in a free and fair election, and "
        "international observers confirmed it. Nobody was detained.",
        base,
    )
    assert result.language == "en"
    assert [c.finding for c in result.claims] == [
        Finding.CONTEXT,
        Finding.CONTRADICT,
        Finding.CONTRADICT,
        Finding.CONTRADICT,
    ]


@pytest.mark.parametrize(
    ("post", "findings"),
    [
        # Sharing only names ("Russian", "Minsk") with facts says nothing about the claim.
        ("Russian troops entered Minsk in September 2020.", ["nothing"]),
        ("The OSCE expelled Belarus in 2022.", ["nothing"]),
        # A clause without a subject is about the one before: another man who met her is
        # not evidence.
        ("Pompeo came back to Minsk in 2021 and met Tikhanovskaya there.", ["nothing"] * 2),
        ("Mike Pompeo visited Belarus in February 2020 and met Lukashenko.", ["support"] * 2),
        # A few words before a colon are a label; a sentence before a colon is the claim.
        ("He also offered American oil: 100% of what Belarus needs.", ["support"]),
        ("State TV: Raufoglu is Turan's correspondent in Moscow.", ["contradict"]),
        # A claim about what someone said or welcomed is backed by their statement.
        ("Washington welcomed the EU decision to sanction Lukashenko.", ["support"]),
        # Denied medication: "refused" reads as a negation in Belarusian too.
        ("Блогер Мікалай Клімовіч памёр у турме. Яму не давалі лекаў.", ["support"] * 2),
        # A country missing from a list given in full, though the list never names it.
        (
            "Россия и Китай присоединились к совместному заявлению по правам человека в Беларуси.",
            ["contradict"],
        ),
        # Another imposer's sanctions are not about the Americans'; the US ones are of 2006.
        ("Американцы ввели санкции против Лукашенко только в 2020 году.", ["contradict"]),
        # Another form or word of the same family, and the words a stated figure counts.
        ("Несколько человек погибли.", ["support"]),
        ("Сотни людей попали в больницы после разгона протестов.", ["support"]),
        ("Hundreds of people ended up in hospital.", ["support"]),
        ("Our channel has 50,000 subscribers.", ["nothing"]),
        ("Никого не задерживали.", ["contradict"]),
        # A pronoun opening a Russian or Belarusian sentence names no one; the month it
        # gives is a date, not a word the fact must hold.
        (
            "Лукашэнка размаўляў па тэлефоне з Пампеа 24 кастрычніка 2020 года. "
            "Ён казаў пра добрыя адносіны з дзяржсакратаром.",
            ["support", "support"],
        ),
        (
            "Прафесар Вольфганг Бенедэк падрыхтаваў даклад пра Беларусь. "
            "Ён выйшаў у снежні 2020 года.",
            ["support", "contradict"],
        ),
        # What Lukashenko said of his relations is his statement, not an established fact.
        ("У Лукашенко прекрасные отношения с Помпео.", ["context"]),
        # Another happening of the same people at another date is no contradiction, and a
        # claim mostly in words the base never uses is about something it does not hold.
        ("The Coordination Council was dissolved by its members in 2022.", ["nothing"]),
        ("Maxim Znak was released in 2023.", ["nothing"]),
        ("Lukashenko congratulated the singer personally.", ["nothing"]),
        ("Blogger Klimovich died at home in Minsk in 2021.", ["contradict"]),
        (
            "Daily reminder from the diaspora chat: the US, Canada and the UK discussed "
            "sanctions on the regime in September 2020.",
            ["support"],
        ),
        # A date in figures or a season is a date; a date told from another event ("nine
        # days after the vote") and "back in" say nothing a fact must hold.
        (
            "That emergency UN debate on Belarus was held on 18/08/2020, just nine days "
            "after the vote.",
            ["contradict"],
        ),
        ("Pompeo's trip to Belarus was back in autumn 2019.", ["contradict"]),
        ("Pompeo visited Belarus in winter 2020.", ["support"]),
        # A figure of another count denies nothing, and one far from a statistic's figure
        # does not back it; "траўня" is a month, not a figure against the claim's age.
        ("У Беларусі жыве каля 9,2 мільёна чалавек.", ["nothing"]),
        (
            "Блогер Николай Климович умер в тюрьме под Витебском в мае 2023 года. Ему был 61 год.",
            ["support", "nothing"],
        ),
        # Names borrowed from the sentence before do not make a fact about what the claim
        # itself says ("a podcast"); "sat down with" is "met".
        (
            "Галперович — киевский корреспондент «Голоса Америки». "
            "Ещё он ведёт подкаст о Беларуси.",
            ["contradict", "nothing"],
        ),
        (
            "In February 2020 Mike Pompeo came to Belarus. He also sat down with Lukashenko.",
            ["support", "support"],
        ),
        # A demand for free and fair elections assesses no election: it does not deny
        # that the statement called this one neither free nor fair.
        ("Там прямо написано, что выборы не были ни свободными, ни честными.", ["support"]),
        # A quote and who said it after it: the quote is the claim.
        (
            '"Not a single journalist in Belarus has been detained for doing their job," '
            "the ministry spokesman told state TV.",
            ["contradict"],
        ),
        # "Никаких" is a negation, not a name the base lacks.
        ("Никаких задержаний журналистов в Беларуси не было.", ["contradict"]),
        # A count of the signatories names none of them: the list that names the claim's
        # country decides, however much closer the count's wording is.
        ("Ukraine signed the joint statement on Belarus.", ["support"]),
        # A person and a date before a colon say who said what follows: their statement
        # backs it, and their name is not what the claim is about.
        (
            "George Kent of the State Department, 6 November 2020: the US does not "
            "consider the 9 August vote free and fair.",
            ["support"],
        ),
        (
            "US envoy to the OSCE Michael Carpenter, May 2023: Belarus is a co-aggressor "
            "in Russia's war against Ukraine.",
            ["support"],
        ),
        # "He" is the subject of the last claim that had one, not every name the clauses
        # without one borrowed in between.
        (
            "Flashback: in February 2020 Mike Pompeo came to Belarus, met Lukashenko and "
            "toured the Hi-Tech Park. He even said American producers were ready to supply "
            "100% of Belarus's oil at competitive prices.",
            ["support"] * 3,
        ),
        # A count and its verb after "and" are a claim of their own.
        ("In reality hundreds ended up in hospital and several people died.", ["support"] * 2),
        # "…, это признали …" says something of the clause before: a claim of its own.
        (
            "Выборы 9 августа прошли свободно и честно, это признали даже западные партнёры.",
            ["contradict", "nothing"],
        ),
        # A statement words its own attribution: "promised" is not what the claim is about.
        ("Putin promised that Russian police would never cross into Belarus.", ["contradict"]),
        # "New" says nothing of what is new.
        ("У Мінску адкрылі новую станцыю метро.", ["nothing"]),
        # Someone's view of a person ("Washington does not recognise Lukashenko as
        # legitimate") or someone's claim ("she, not Lukashenko, had won") puts a plain
        # claim in context; it does not deny it.
        ("Лукашенко победил.", ["context"]),
        ("Лукашэнка перамог.", ["context"]),
        ("Lukashenko won.", ["context"]),
        # A gerund's clause is a claim of its own: the assessment and the figure are
        # checked apart.
        (
            "Лукашенко победил на честных выборах, набрав 80% голосов.",
            ["context", "contradict", "context"],
        ),
        (
            "Lukashenko won in a fair election, winning 80 percent of the vote.",
            ["context", "contradict", "context"],
        ),
        # A fact that can neither back the figure nor deny anything (a demand for fair
        # elections) is no best match that raises the bar for the one that denies it.
        ("Лукашенко победил на честных выборах с 80% голосов.", ["context", "contradict"]),
        # A count of people speaks for the people, never for what the claim says happened to
        # them: "took to the streets" is not "were detained".
        ("Тысячи людей вышли на улицы.", ["nothing"]),
        ("Тысячы людзей выйшлі на вуліцы.", ["nothing"]),
        ("Thousands of people took to the streets.", ["nothing"]),
        ("Тысячи людей были задержаны.", ["support"]),
        # Marching is what the fact says, of hundreds of students: related, not backed.
        ("Thousands of people marched in Minsk.", ["context"]),
    ],
)
def test_post_findings(base: IndexedFacts, post: str, findings: list[str]) -> None:
    assert [c.finding.value for c in check_post(post, base).claims] == findings


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The election was free and fair", 1),
        ("The US called the vote free and fair", 1),
        ("Западные партнёры признали выборы честными", 1),
        ("The vote was neither free nor fair", -1),
        (
            "They support their calls for unrestricted dialogue, free and fair elections",
            0,
        ),
        ("Pompeo urged them to heed the people's demands for free and fair elections", 0),
        ("the people should determine their future free from external intervention", 0),
        ("The OSCE Office for Democratic Institutions and Human Rights", 0),
    ],
)
def test_an_assessment_is_what_a_text_calls_something_not_what_it_wishes_for(
    text: str, value: int
) -> None:
    assert assessment(text) == value


def test_a_sentence_that_opens_as_a_question_is_set_aside_without_its_mark() -> None:
    claims, aside = split_post(
        "Why is nobody talking about this. Почему все молчат. "
        "When the vote ended, thousands were detained."
    )
    assert [a.reason for a in aside] == [AsideReason.QUESTION, AsideReason.QUESTION]
    assert [c.text for c in claims] == ["When the vote ended, thousands were detained"]


def test_greetings_and_thanks_in_a_post_are_set_aside_as_small_talk() -> None:
    claims, aside = split_post(
        "Hi all! Thanks for sharing. Hundreds of students marched across Minsk. "
        "Спасибо за инфу! Дзякуй."
    )
    assert [c.text for c in claims] == ["Hundreds of students marched across Minsk"]
    assert [a.reason for a in aside] == [AsideReason.SMALL_TALK] * 4


def test_two_bases_never_share_what_the_check_read_of_a_fact(seed: Bundle) -> None:
    # What the check reads of a fact depends on the base it is in: here whether the
    # statement's speaker has a profile (the same fact id and revision in both bases).
    statement = next(f for f in seed.facts if f.id == "statement-gilmore-report-shocking")
    with_profile = IndexedFacts(seed.facts)
    without = IndexedFacts(f for f in seed.facts if f.id != "person-james-gilmore")
    assert person_speaker(with_profile, statement)
    assert not person_speaker(without, statement)
    assert fact_view(statement, with_profile) is fact_view(statement, with_profile)
    assert fact_view(statement, with_profile) is not fact_view(statement, without)
