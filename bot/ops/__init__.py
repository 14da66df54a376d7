"""Operations: everything about running the bot rather than what it says.

- :mod:`~bot.ops.settings` — the one :class:`~bot.ops.settings.Settings` class, read from
  the environment, and its loader;
- :mod:`~bot.ops.logs` — the one logging set-up, with the one redactor;
- :mod:`~bot.ops.runner` — runs the application (polling through :mod:`~bot.ops.polling`, or
  the webhook server in :mod:`~bot.ops.web`), with heartbeat, backups and graceful shutdown;
- :mod:`~bot.ops.health` (heartbeat and ``factbot health``), :mod:`~bot.ops.metrics`
  (Prometheus), :mod:`~bot.ops.backup` (``factbot backup``, also while the bot runs; what
  a backup is, and restoring one, are the domain's: :mod:`facts.backup`,
  :mod:`facts.restore`);
- :mod:`~bot.ops.cli` — the ``factbot`` command; :mod:`~bot.ops.console` — the offline
  console on the fake Bot API.
"""
