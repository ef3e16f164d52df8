"""Members whose Discord app is in another language.

Discord sends every interaction with the `locale` of the member's app (and `guild_locale`, the server's). SimCord
3.2 always sends "en-US", so `discord_locales(monkeypatch)` makes the interactions it builds carry a locale per
member, exactly where Discord puts it, and discord.py reads it as it would from Discord.
"""

from __future__ import annotations

from typing import Any

import pytest
import simcord.interactions as simcord_interactions


class ClientLocales:
    def __init__(self) -> None:
        self.by_user: dict[int, str] = {}

    def set(self, member: Any, locale: str) -> None:
        self.by_user[member.id] = locale


def discord_locales(monkeypatch: pytest.MonkeyPatch) -> ClientLocales:
    locales = ClientLocales()
    build = simcord_interactions.base_payload

    def base_payload(backend: Any, **kwargs: Any) -> Any:
        record, payload = build(backend, **kwargs)
        locale = locales.by_user.get(int(kwargs["user_id"]))
        if locale is not None:
            payload["locale"] = locale
        return record, payload

    monkeypatch.setattr(simcord_interactions, "base_payload", base_payload)
    return locales
