"""Which language each member reads: the one they chose, else the Discord locale they last used, remembered so
what Hearth sends them later (prompts, reminders, digests) is in it too.

An interaction costs no statement: the members who chose a language are held in memory (a small set, reloaded
every `refresh` for choices made through another process), and a new Discord locale is queued and written in one
batch by `flush` (every few seconds, and at shutdown). A DM reads the member's locale from memory, else from the
store, in one statement per sweep batch (`prefetch`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.i18n import _
from bot.i18n.languages import LANGUAGES, language_of_code
from bot.store import Store

DEFAULT_LOCALE = "en-US"
MAX_REMEMBERED = 50_000  # members whose last locale this process keeps in memory
_UNKNOWN = object()


class LanguageService:
    def __init__(self, store: Store, clock: Clock, *, max_remembered: int = MAX_REMEMBERED) -> None:
        self._store = store
        self._clock = clock
        self._max = max_remembered
        self._chosen: dict[int, str] = {}  # member -> the language code they chose
        self._locales: OrderedDict[int, str | None] = OrderedDict()  # member -> their stored locale, as known here
        self._pending: dict[int, str] = {}  # locales seen and not written yet

    # What a member reads ---------------------------------------------------------------------------------------
    def choice_of(self, user_id: int) -> str | None:
        return self._chosen.get(user_id)

    def seen(self, user_id: int, locale: str | None) -> str | None:
        """A member interacted with their Discord app set to `locale`: remembered when it changed (written by the
        next `flush`). Returns the language they chose, if they did."""
        if locale:
            known = self._locales.get(user_id, _UNKNOWN)
            # Nothing stored reads as Discord's default (American English): that one matters only after another
            # (for a member not known here, the store decides: see remember_locales).
            if known != locale and not (locale == DEFAULT_LOCALE and known is None):
                self._pending[user_id] = locale
                self._remember(user_id, locale)
        return self._chosen.get(user_id)

    async def of_member(self, user_id: int) -> tuple[str | None, str | None]:
        """(the language code they chose or None, the Discord locale they last used or None)."""
        known = self._locales.get(user_id, _UNKNOWN)
        if known is _UNKNOWN:
            await self.prefetch([user_id])
            known = self._locales.get(user_id)
        else:
            self._locales.move_to_end(user_id)
        return self._chosen.get(user_id), known if isinstance(known, str) else None

    async def prefetch(self, user_ids: Iterable[int]) -> None:
        """Reads the stored locales of the members not known here, in one statement (before a sweep's DMs)."""
        unknown = sorted({user_id for user_id in user_ids if user_id not in self._locales})
        if not unknown:
            return
        found = await self._store.members.locales_of(unknown)
        for user_id in unknown:
            self._remember(user_id, found.get(user_id))

    def _remember(self, user_id: int, locale: str | None) -> None:
        self._locales[user_id] = locale
        self._locales.move_to_end(user_id)
        while len(self._locales) > self._max:
            self._locales.popitem(last=False)

    # Changes -----------------------------------------------------------------------------------------------------
    async def choose(self, user_id: int, code: str | None) -> None:
        """`code` None: follow their Discord language again."""
        if code is not None and language_of_code(code) is None:
            names = ", ".join(language.name for language in LANGUAGES)
            raise InvalidInput(_("Hearth speaks {names}. Pick one of those, or Automatic.", names=names))
        await self._store.members.update(user_id, self._clock.now(), language=code)
        if code is None:
            self._chosen.pop(user_id, None)
        else:
            self._chosen[user_id] = code

    async def flush(self) -> int:
        """Writes the locales seen since the last flush, in one statement batch; returns how many."""
        pending, self._pending = self._pending, {}
        if not pending:
            return 0
        try:
            await self._store.members.remember_locales(pending, default=DEFAULT_LOCALE)
        except Exception:
            for user_id, locale in pending.items():  # kept for the next flush, unless seen again since
                self._pending.setdefault(user_id, locale)
            raise
        return len(pending)

    async def refresh(self) -> None:
        """Reloads who chose which language (choices made through another process reach this one)."""
        self._chosen = await self._store.members.chosen_languages()

    def forget(self, user_id: int) -> None:
        """Their data was deleted: nothing of them stays in memory either."""
        self._chosen.pop(user_id, None)
        self._locales.pop(user_id, None)
        self._pending.pop(user_id, None)
