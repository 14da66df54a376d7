"""Scoring claim checks against labelled posts.

A post set is a JSON list of ``{"post", "lang", "claims": [{"claim", "label", "facts"}],
"set_aside"}`` (see tests/quality/posts/README.md). Each post is checked whole; each
labelled claim is matched to the checked claim that shares most of its words (at least half
of them) and is right when that claim's finding equals the label. A labelled claim the
checker did not check at all (set aside, or cut differently) counts as wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from facts.claims import Finding, PostCheck

_WORD = re.compile(r"\w+", re.UNICODE)

#: The post sets rules may be chosen on (their misses may be read). The others are measured
#: only: the validation sets (posts_dev3, posts_dev4) and the held-out ones.
TUNED_SETS = frozenset({"posts_dev", "posts_dev2", "posts_dev_h1", "posts_dev_h2"})


@dataclass(frozen=True, slots=True)
class LabelledClaim:
    """A claim of a post and what the base says about it."""

    text: str
    label: Finding
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Post:
    """A post, its labelled claims and the pieces a checker should set aside."""

    text: str
    lang: str
    claims: tuple[LabelledClaim, ...]
    set_aside: tuple[str, ...]


@dataclass(slots=True)
class PostsReport:
    """Per-claim scores of a checker on one post set."""

    posts: int = 0
    claims: int = 0
    right: int = 0
    #: Claims labelled "nothing" that got "support" or "contradict".
    false_findings: int = 0
    aside: int = 0
    aside_found: int = 0
    by_label: dict[str, tuple[int, int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """The share of labelled claims given the right finding."""
        return self.right / self.claims if self.claims else 1.0


def load_posts(path: Path) -> list[Post]:
    """The posts of a set file."""
    records = json.loads(path.read_text("utf-8"))
    return [
        Post(
            r["post"],
            r["lang"],
            tuple(
                LabelledClaim(c["claim"], Finding(c["label"]), tuple(c["facts"]))
                for c in r["claims"]
            ),
            tuple(r["set_aside"]),
        )
        for r in records
    ]


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _overlap(labelled: str, checked: str) -> float:
    want = _words(labelled)
    return len(want & _words(checked)) / len(want) if want else 0.0


def evaluate(posts: Iterable[Post], check: Callable[[str], PostCheck]) -> PostsReport:
    """Check every post and score each labelled claim."""
    report = PostsReport()
    for post in posts:
        report.posts += 1
        result = check(post.text)
        for labelled in post.claims:
            report.claims += 1
            best = max(result.claims, key=lambda c: _overlap(labelled.text, c.text), default=None)
            got = (
                best.finding
                if best is not None and _overlap(labelled.text, best.text) >= 0.5
                else None
            )
            right, total = report.by_label.get(labelled.label.value, (0, 0))
            ok = got is labelled.label
            report.by_label[labelled.label.value] = (right + ok, total + 1)
            if ok:
                report.right += 1
            else:
                shown = [f.id for f in best.facts] if best is not None and got else []
                report.failures.append(
                    f"{labelled.label.value:10} got {got.value if got else 'NOT CHECKED':10} "
                    f"{labelled.text!r} (as {best.text if best else None!r}) {shown}"
                )
            if labelled.label is Finding.NOTHING and got in (Finding.SUPPORT, Finding.CONTRADICT):
                report.false_findings += 1
        for piece in post.set_aside:
            report.aside += 1
            if any(_overlap(piece, a.text) >= 0.5 for a in result.set_aside):
                report.aside_found += 1
    return report
