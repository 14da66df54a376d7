"""/who end to end: people under every spelling, profiles, the list, several matches."""

from __future__ import annotations

import pytest

from bot.handlers import who
from bot.handlers.pages import PAGE_SIZE
from facts.model import Kind, PersonDetails
from facts.store import FactStore
from tests.bot.cases import add_like, find_person, source_label_of
from tests.bot.harness import Harness, buttons, plain, sent_texts


@pytest.mark.parametrize(
    "spelling", ["Tsikhanouskaya", "Tikhanovskaya", "Tikhanovskya", "Тихановская"]
)
async def test_who_finds_people_under_every_spelling(
    harness: Harness, store: FactStore, spelling: str
) -> None:
    person = find_person(store, "Tikhanovskaya")
    assert isinstance(person.details, PersonDetails)
    text = plain(await harness.reply(f"/who {spelling}"))
    assert person.details.name in text
    assert "What they did or said" in text
    assert source_label_of(store, person) in text


async def test_who_profile_lists_roles_and_statements(harness: Harness, store: FactStore) -> None:
    person = find_person(store, "Lukashenka")
    assert isinstance(person.details, PersonDetails)
    text = plain(await harness.read_all("/who Lukashenka"))
    for role in person.details.roles:
        assert role.title in text
    activity = who.activity(store, person)
    related = [f for f in store.facts() if person.id in f.related and f.kind is not Kind.PERSON]
    assert related and {f.id for f in related} <= {f.id for f in activity}
    # Other people's profiles are not something this person did or said.
    assert all(f.kind is not Kind.PERSON for f in activity)
    # Every fact is on some page, and the pages say where the reader is.
    assert all(f.text in text for f in activity)
    assert len(activity) > PAGE_SIZE and f"1–{PAGE_SIZE} of {len(activity)}" in text


async def test_who_without_a_name_lists_people_as_buttons(
    harness: Harness, store: FactStore
) -> None:
    await harness.ask("/who")
    listing = harness.last()
    people = store.facts(kind=Kind.PERSON)
    assert f"({len(people)})" in (listing.text or "")
    person_buttons = [(label, data) for label, data in buttons(listing) if data.startswith("who:")]
    assert person_buttons
    label, data = person_buttons[0]
    profile = await harness.press(listing, data)
    assert label in plain(sent_texts(profile))
    more = [d for _, d in buttons(listing) if d.startswith("wl:")]
    if more:  # a second page exists: it replaces the first in place
        paged = await harness.press(listing, more[0])
        assert paged[-1].method == "editMessageText"
        assert paged[-1].params["message_id"] == listing.message_id


async def test_who_with_several_matches_offers_a_choice(harness: Harness, store: FactStore) -> None:
    # Whatever the seed holds, there are at least two Michaels.
    add_like(
        store,
        Kind.PERSON,
        "person-michael-testerson",
        "Michael Testerson is a lawyer in Minsk.",
        name="Michael Testerson",
        aliases=[],
        roles=[],
    )
    hits = store.find_people("Michael", limit=8)
    assert len(hits) >= 2
    text = plain(await harness.reply("/who Michael"))
    assert "Several people match" in text
    choice = harness.last()
    data = [d for _, d in buttons(choice)]
    assert {f"who:{h.fact.id}" for h in hits} >= set(data) and len(data) >= 2
    picked = await harness.press(choice, data[0])
    assert "What they did or said" in plain(sent_texts(picked))


async def test_who_unknown_name(harness: Harness) -> None:
    assert "Nobody called" in plain(await harness.reply("/who Qwzx Vbnmk"))
