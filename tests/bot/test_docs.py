"""Every command the bot registers is documented in README and /help; every setting in README."""

from __future__ import annotations

import re
from pathlib import Path

from telegram.ext import Application, BaseHandler, CommandHandler, ConversationHandler

from bot.commands import COMMANDS
from bot.ops.settings import Settings
from tests.bot.harness import ADMIN_ID, Harness

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(handler: BaseHandler[object, object, object]) -> set[str]:
    if isinstance(handler, CommandHandler):
        return set(handler.commands)
    if isinstance(handler, ConversationHandler):
        found: set[str] = set()
        for inner in [
            *handler.entry_points,
            *(h for hs in handler.states.values() for h in hs),
            *handler.fallbacks,
        ]:
            found |= _commands(inner)
        return found
    return set()


def registered_commands(application: Application) -> set[str]:  # type: ignore[type-arg]
    """Every /command some handler of the application answers."""
    found: set[str] = set()
    for handlers in application.handlers.values():
        for handler in handlers:
            found |= _commands(handler)
    return found


def documented(text: str, command: str) -> bool:
    return re.search(rf"/{re.escape(command)}\b", text) is not None


async def test_every_registered_command_is_in_readme(harness: Harness) -> None:
    commands = registered_commands(harness.application)
    assert {c for c, _ in COMMANDS} <= commands, "the menu lists only commands that work"
    assert sorted(c for c in commands if not documented(README, c)) == []


async def test_every_registered_command_is_in_help(harness: Harness) -> None:
    commands = registered_commands(harness.application)
    # Subscribers' /help points admins to /adminhelp, which lists the editing commands.
    help_text = await harness.reply("/help", user_id=ADMIN_ID)
    assert documented(help_text, "adminhelp")
    help_text += await harness.reply("/adminhelp", user_id=ADMIN_ID)
    assert sorted(c for c in commands if not documented(help_text, c)) == []


def test_every_setting_is_in_readme() -> None:
    names = [n.upper() for n in Settings.model_fields]
    assert sorted(n for n in names if f"`{n}`" not in README) == []


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test" in ci and "    ./scripts/test" in README
