"""Claim check: split a post into claims and say what the base says about each one.

Pure (no Telegram, nothing stored): :func:`check_post` takes a post's text and anything
shaped like the store (:class:`facts.answer.FactSource`) and returns a :class:`PostCheck`.
The steps:

1. Split the post into sentences and clauses ("…, and …", "; ", "… and met …"); set aside
   questions, slogans and opinions (they are not checkable); a clause that starts with a
   pronoun or a verb borrows the names of the clause before it to be matched.
2. Match each claim against the base: the ranked search gives candidates, each scored by
   the share of the claim's words it contains, weighted by how rare each word is; a name
   the base has never heard of means the base says nothing.
3. For every fact that covers the claim well enough, decide: *contradict* only on
   conflicting content (a negation the other lacks, a number whose range does not overlap
   once qualifiers are read — "at least 1,486" against "about a hundred" —, another year
   or month of a dated event, another city, a country missing from a list the fact names
   in full, an opposite assessment: "free and fair" against "rigged"); *context* when the
   fact records the claim only as someone's claim or allegation and the post states it
   as plain fact; otherwise *support*. Similarity alone never contradicts.
4. A claim's finding: contradict if a close fact contradicts it, else support, else
   context, else nothing. There is no verdict on the whole post.

No post texts or fact ids live here: every rule is about words, numbers, dates and kinds.

The modules, in the order a post goes through them: ``split`` (step 1), ``reading`` (a
claim's words, weights and cues), ``match`` (steps 2–4), over ``figures`` (quantities and
dates), ``places`` (cities and countries) and ``views`` (each fact analysed once);
``findings`` holds the result types.
"""

from __future__ import annotations

from collections.abc import Iterable

from facts.answer import FactSource
from facts.claims.figures import amounts
from facts.claims.findings import (
    Aside,
    AsideReason,
    ClaimCheck,
    Conflict,
    Finding,
    PostCheck,
)
from facts.claims.match import base_size, check_claim
from facts.claims.split import MAX_CLAIMS, MAX_POST, looks_like_post, split_post
from facts.lang import detect


def check_post(text: str, store: FactSource) -> PostCheck:
    """Every claim of ``text`` checked against the base, and what was set aside."""
    pieces, aside = split_post(text)
    total = base_size(store)
    checks = [check_claim(p, store, total=total) for p in pieces[:MAX_CLAIMS]]
    unchecked = tuple(p.text for p in pieces[MAX_CLAIMS:])
    return PostCheck(detect(text), checks, aside, unchecked)


def claim_texts(checks: Iterable[ClaimCheck]) -> list[str]:
    """The claims' texts (for tests and the bench)."""
    return [c.text for c in checks]


__all__ = [
    "MAX_CLAIMS",
    "MAX_POST",
    "Aside",
    "AsideReason",
    "ClaimCheck",
    "Conflict",
    "Finding",
    "PostCheck",
    "amounts",
    "check_claim",
    "check_post",
    "looks_like_post",
    "split_post",
]
