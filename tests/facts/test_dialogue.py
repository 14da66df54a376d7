"""Small talk and follow-ups read against the previous question."""

from __future__ import annotations

import pytest

from facts.dialogue import (
    FollowKind,
    SmallTalk,
    follow_up,
    refine,
    small_talk,
    without_small_talk,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hello", SmallTalk.GREETING),
        ("Hi there!", SmallTalk.GREETING),
        ("Привет", SmallTalk.GREETING),
        ("Прывітанне!", SmallTalk.GREETING),
        ("thanks!", SmallTalk.THANKS),
        ("Спасибо большое", SmallTalk.THANKS),
        ("дзякуй", SmallTalk.THANKS),
        ("bye", SmallTalk.FAREWELL),
        ("🙂", SmallTalk.EMOJI),
        ("👍👍", SmallTalk.EMOJI),
        ("?!", SmallTalk.EMOJI),
        ("7", SmallTalk.NUMBER),
        ("2020", SmallTalk.NUMBER),
        ("ok", SmallTalk.ACK),
        ("7?", SmallTalk.NUMBER),
    ],
)
def test_small_talk_is_recognised(text: str, kind: SmallTalk) -> None:
    assert small_talk(text) is kind


@pytest.mark.parametrize(
    "text",
    ["hello, how many political prisoners?", "who is Pompeo", "сколько политзаключённых", "EU"],
)
def test_questions_are_not_small_talk(text: str) -> None:
    assert small_talk(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("source?", FollowKind.SOURCE),
        ("Sources please", FollowKind.SOURCE),
        ("where is that from?", FollowKind.SOURCE),
        ("источник?", FollowKind.SOURCE),
        ("крыніца?", FollowKind.SOURCE),
        ("who said that?", FollowKind.SPEAKER),
        ("кто это сказал?", FollowKind.SPEAKER),
        ("хто гэта сказаў?", FollowKind.SPEAKER),
        ("more", FollowKind.MORE),
        ("anything else?", FollowKind.MORE),
        ("ещё", FollowKind.MORE),
        ("яшчэ", FollowKind.MORE),
    ],
)
def test_follow_ups_about_the_previous_answer(text: str, kind: FollowKind) -> None:
    found = follow_up(text, "how many political prisoners?")
    assert found is not None and found.kind is kind


def test_a_refining_follow_up_asks_the_previous_question_again() -> None:
    year = follow_up("and in 2020?", "How many political prisoners were there in 2023?")
    assert year is not None and year.kind is FollowKind.REFINE
    assert year.question == "How many political prisoners were there in 2020?"
    country = follow_up("what about the US?", "Did Britain impose sanctions?")
    assert country is not None and country.question == "Did the US impose sanctions?"
    russian = follow_up("а США?", "Ввела ли Британия санкции?")
    assert russian is not None and russian.question == "Ввела ли США санкции?"
    article = follow_up("what about the US?", "Did the EU impose sanctions on Belarus?")
    assert article is not None and article.question == "Did the US impose sanctions on Belarus?"


@pytest.mark.parametrize(
    ("previous", "detail", "expected"),
    [
        (
            "who imposed sanctions in October 2020?",
            "the US",
            "who imposed sanctions in October 2020 the US?",
        ),
        (
            "Did the EU impose sanctions in Oct 2020?",
            "the US",
            "Did the US impose sanctions in Oct 2020?",
        ),
        ("Did Britain impose sanctions in May?", "Canada", "Did Canada impose sanctions in May?"),
        ("Кто ввёл санкции в Октябре 2020?", "США", "Кто ввёл санкции в Октябре 2020 США?"),
        ("Хто ўвёў санкцыі ў Кастрычніку?", "ЗША", "Хто ўвёў санкцыі ў Кастрычніку ЗША?"),
        (
            "who imposed sanctions in October 2020?",
            "2021",
            "who imposed sanctions in October 2021?",
        ),
    ],
)
def test_refine_keeps_the_date_of_the_question(previous: str, detail: str, expected: str) -> None:
    assert refine(previous, detail) == expected


def test_refine_adds_what_it_cannot_replace() -> None:
    asked = refine("how many political prisoners", "in 2020")
    assert asked == "how many political prisoners in 2020?"
    assert refine("sanctions", "journalists") == "sanctions journalists?"


@pytest.mark.parametrize(
    "text",
    [
        "how many political prisoners are there in Belarus according to the OSCE report?",
        "who is Pompeo",
        "sanctions",
        "and then the police came to the square and arrested everyone who stood there",
        "who said that Babaryka was arrested?",
        "evidence of torture in Okrestina?",
        "proof of fraud?",
        "more sanctions?",
        "what else did Lukashenko say",
        "and who is Babaryka?",
        "how do you know Tsikhanouskaya",
    ],
)
def test_whole_questions_are_not_follow_ups(text: str) -> None:
    assert follow_up(text, "how many political prisoners?") is None


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("thanks, who is Kent?", "who is Kent?"),
        ("Hi there! How many political prisoners?", "How many political prisoners?"),
        ("спасибо, а кто такой Кент?", "кто такой Кент?"),
        ("привет кто такой Кент", "кто такой Кент"),
        ("дзякуй! хто такі Кент?", "хто такі Кент?"),
    ],
)
def test_a_greeting_or_thanks_before_a_question_is_dropped(text: str, question: str) -> None:
    assert without_small_talk(text) == question


@pytest.mark.parametrize(
    "text", ["thanks!", "hello", "ok", "no sanctions on Russia?", "не знаю", "great thanks"]
)
def test_small_talk_alone_or_words_that_only_look_like_it_stay(text: str) -> None:
    assert without_small_talk(text) == text


@pytest.mark.parametrize(
    ("previous", "detail", "expected"),
    [
        # An acronym opening the question is a name all the same.
        ("ЕС вводил санкции против Лукашенко?", "США", "США вводил санкции против Лукашенко?"),
        ("EU sanctions on Lukashenko?", "the US", "the US sanctions on Lukashenko?"),
        # A capital opening a sentence is not.
        ("Сколько политзаключённых?", "в 2020", "Сколько политзаключённых в 2020?"),
    ],
)
def test_refine_replaces_a_name_that_opens_the_question(
    previous: str, detail: str, expected: str
) -> None:
    assert refine(previous, detail) == expected
