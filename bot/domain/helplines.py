"""Crisis helplines per country, loaded from the shipped bot/data/helplines.json.

The file is validated when it is loaded: every country has an emergency number and at least one
service, every entry names its source and the date it was last checked, web addresses are https, and
each country's formatted text fits in one Discord embed field (1024 characters). Unknown keys are
refused so a typo ("cheked") cannot slip through.

`Helplines.for_country(code)` never fails: unknown or missing countries get the international
fallback, so a member always sees something. `country_from_locale` turns a Discord locale into a
country where the locale names one (en-GB, pt-BR) or the language mostly means one (de, fr, hi, ja).

Read the file's top-level "note" and "live_verified" before relying on the data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Literal, cast

from bot.i18n import S_, SN_, current_voice

__all__ = [
    "DEFAULT_PATH",
    "EMBED_FIELD_LIMIT",
    "Contact",
    "CountryHelplines",
    "Emergency",
    "HelplineDataError",
    "Helplines",
    "Service",
    "country_from_locale",
    "load_helplines",
    "parse_helplines",
]

# Shipped inside the package, so a wheel or Docker install carries it and the runtime data/ volume
# (which holds the SQLite file) can never shadow it with an old copy.
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "helplines.json"
EMBED_FIELD_LIMIT = 1024
INTERNATIONAL = "INTL"
SCHEMA_VERSION = 1

ContactKind = Literal["phone", "text", "chat", "email", "web"]
_CONTACT_KINDS: tuple[ContactKind, ...] = ("phone", "text", "chat", "email", "web")
_ALIASES = {"UK": "GB"}
# The international fallback's words in the data file, translated where shown (every other name, number and
# description is shown as the data has it).
# i18n: the name of the helplines shown when Hearth doesn't know the member's country: "Helplines (International)"
INTERNATIONAL_NAME = SN_("International")
# i18n: said in place of an emergency number when Hearth doesn't know the member's country: "Call your local
# emergency number"
LOCAL_EMERGENCY_NUMBER = SN_("your local emergency number")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


class HelplineDataError(ValueError):
    """The helplines file is missing, not JSON, or does not follow the expected shape."""


# --------------------------------------------------------------------------------------------------
# Model


def _display_url(url: str) -> str:
    shown = re.sub(r"^https?://", "", url)
    shown = shown.removeprefix("www.")
    return shown.rstrip("/")


@dataclass(frozen=True)
class Contact:
    kind: ContactKind
    value: str


@dataclass(frozen=True)
class Service:
    name: str
    contacts: tuple[Contact, ...]
    hours: str | None
    cost: str | None
    notes: str | None
    source: str
    checked: date

    def values(self, kind: ContactKind) -> list[str]:
        return [contact.value for contact in self.contacts if contact.kind == kind]

    @property
    def web(self) -> str | None:
        webs = self.values("web")
        return webs[0] if webs else None

    def format_line(self) -> str:
        """One plain line, e.g. "Samaritans: call 116 123 (free, 24/7) · samaritans.org" (the service's own
        words, such as its hours, as the data has them; the verbs in the reader's language)."""
        phones, texts = self.values("phone"), self.values("text")
        actions: list[str] = []
        if phones and phones == texts:
            # i18n: how to reach a helpline; {numbers} is one phone number or several ("116 123 or 0800 123")
            actions.append(S_("call or text {numbers}", numbers=_either(phones)))
        else:
            if phones:
                # i18n: how to reach a helpline by phone; {numbers} is one phone number or several
                actions.append(S_("call {numbers}", numbers=_either(phones)))
            if texts:
                # i18n: how to reach a helpline by text message (SMS); {numbers} is one number or several
                actions.append(S_("text {numbers}", numbers=_either(texts)))
        # i18n: how to reach a helpline by web chat; {address} is a web address such as samaritans.org/chat
        actions.extend(S_("chat at {address}", address=_display_url(url)) for url in self.values("chat"))
        # i18n: how to reach a helpline by email; {address} is an email address
        actions.extend(S_("email {address}", address=address) for address in self.values("email"))
        details = ", ".join(part for part in (self.cost, self.hours, self.notes) if part)
        web = _display_url(self.web) if self.web else None
        line = f"{self.name}: "
        if actions:
            line += ", ".join(actions)
            if details:
                line += f" ({details})"
            if web:
                line += f" · {web}"
        else:
            line += web or ""
            if details:
                line += f" ({details})"
        return line


def _either(numbers: list[str]) -> str:
    """"116 123", "116 123 or 0800 123", "1 or 2 or 3": any one of them will do."""
    text = numbers[0]
    for other in numbers[1:]:
        # i18n: two phone numbers, either of which reaches the same helpline or emergency service
        text = S_("{one} or {other}", one=text, other=other)
    return text


@dataclass(frozen=True)
class Emergency:
    number: str
    alternatives: tuple[str, ...]
    source: str
    checked: date

    @property
    def shown_number(self) -> str:
        """The number, or for the international fallback "your local emergency number" in the reader's language."""
        return S_(LOCAL_EMERGENCY_NUMBER) if self.number == LOCAL_EMERGENCY_NUMBER else self.number

    def format_line(self) -> str:
        numbers = self.shown_number
        if self.alternatives:
            # i18n: the emergency number, and others that work too: "112 (or 999)"
            numbers = S_("{number} (or {alternatives})", number=self.shown_number,
                         alternatives=_either(list(self.alternatives)))
        # i18n: the first line of the helplines; {numbers} is the emergency number, maybe with others that work too
        return S_("In immediate danger? Call {numbers}.", numbers=numbers)


@dataclass(frozen=True)
class CountryHelplines:
    code: str
    """ISO 3166 alpha-2 code, or "INTL" for the international fallback."""
    name: str
    emergency: Emergency
    services: tuple[Service, ...]

    @property
    def is_fallback(self) -> bool:
        return self.code == INTERNATIONAL

    @property
    def shown_name(self) -> str:
        """The country's name in the reader's language, where their safety texts are (else as the data has it)."""
        if self.is_fallback:
            return S_(INTERNATIONAL_NAME) if self.name == INTERNATIONAL_NAME else self.name
        voice = current_voice()
        if voice.safety is None:  # English, or a language whose safety texts aren't reviewed yet
            return self.name
        return str(voice.locale.territories.get(self.code, self.name))

    def format_lines(self) -> list[str]:
        """Plain text lines for a Discord embed field: the emergency number, then each service."""
        return [self.emergency.format_line(), *(service.format_line() for service in self.services)]

    def format_text(self) -> str:
        """The lines joined with newlines; always at most `EMBED_FIELD_LIMIT` characters (the English is checked
        when the file is loaded; a longer translation leaves out whole lines from the end, never half of one)."""
        lines = self.format_lines()
        text = "\n".join(lines)
        while len(text) > EMBED_FIELD_LIMIT and len(lines) > 1:
            lines.pop()
            text = "\n".join(lines)
        return text[:EMBED_FIELD_LIMIT]

    def entries(self) -> list[tuple[str, date]]:
        """(label, checked) for the emergency number and every service."""
        return [(f"{self.code} emergency number", self.emergency.checked)] + [
            (f"{self.code} {service.name}", service.checked) for service in self.services
        ]


@dataclass(frozen=True)
class Helplines:
    countries: Mapping[str, CountryHelplines]
    international: CountryHelplines
    note: str
    compiled: date
    live_verified: bool

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.countries))

    def for_country(self, code: str | None) -> CountryHelplines:
        """Helplines for an ISO 3166 alpha-2 code (any case; "UK" means GB); otherwise the fallback."""
        if not code:
            return self.international
        key = code.strip().upper()
        key = _ALIASES.get(key, key)
        return self.countries.get(key, self.international)

    def for_locale(self, locale: str | None) -> CountryHelplines:
        return self.for_country(country_from_locale(locale))

    def needs_review(self, today: date, max_age: timedelta = timedelta(days=180)) -> list[str]:
        """Labels of entries last checked more than `max_age` before `today`, for operators."""
        every = [*self.international.entries()]
        for code in self.codes:
            every.extend(self.countries[code].entries())
        return [label for label, checked in every if today - checked > max_age]


# --------------------------------------------------------------------------------------------------
# Locales

# Discord locales without a region, mapped only where the language mostly means one country.
# Note "uk" is the Ukrainian language (UA), not the United Kingdom; English, Spanish, Portuguese and
# Chinese without a region say nothing about the country.
_LANGUAGE_COUNTRY = {
    "bg": "BG", "cs": "CZ", "da": "DK", "de": "DE", "el": "GR", "fi": "FI", "fr": "FR", "he": "IL",
    "hi": "IN", "hr": "HR", "hu": "HU", "id": "ID", "it": "IT", "ja": "JP", "ko": "KR", "lt": "LT",
    "nb": "NO", "nl": "NL", "no": "NO", "pl": "PL", "ro": "RO", "ru": "RU", "sv": "SE", "th": "TH",
    "tr": "TR", "uk": "UA", "vi": "VN",
}


def country_from_locale(locale: str | None) -> str | None:
    """en-GB → GB, en-US → US, pt-BR → BR, de → DE, fr → FR, hi → IN, uk → UA; en, es-419 → None."""
    if not locale:
        return None
    parts = locale.strip().replace("_", "-").split("-")
    language = parts[0].lower()
    for part in parts[1:]:
        if len(part) == 2 and part.isascii() and part.isalpha():
            return part.upper()
    return _LANGUAGE_COUNTRY.get(language)


# --------------------------------------------------------------------------------------------------
# Parsing and validation


def _object(value: object, where: str, allowed: set[str], required: set[str]) -> dict[str, object]:
    if not isinstance(value, dict):
        raise HelplineDataError(f"{where}: expected an object")
    data = cast(dict[str, object], value)
    unknown = set(data) - allowed
    if unknown:
        raise HelplineDataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    missing = required - set(data)
    if missing:
        raise HelplineDataError(f"{where}: missing {', '.join(sorted(missing))}")
    return data


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HelplineDataError(f"{where}: expected non-empty text")
    return value.strip()


def _optional_text(value: object, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _url(value: object, where: str) -> str:
    url = _text(value, where)
    if not re.fullmatch(r"https://[^\s/]+\.[^\s]+", url):
        raise HelplineDataError(f"{where}: expected an https:// address, got {url!r}")
    return url


def _date(value: object, where: str) -> date:
    if not isinstance(value, str):
        raise HelplineDataError(f"{where}: expected an ISO date such as 2026-11-26")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HelplineDataError(f"{where}: {value!r} is not an ISO date such as 2026-11-26") from None


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise HelplineDataError(f"{where}: expected a list")
    return cast(list[object], value)


def _contact(value: object, where: str) -> Contact:
    data = _object(value, where, {"kind", "value"}, {"kind", "value"})
    kind = data["kind"]
    if kind not in _CONTACT_KINDS:
        raise HelplineDataError(f"{where}.kind: expected one of {', '.join(_CONTACT_KINDS)}")
    if kind in ("web", "chat"):
        text = _url(data["value"], f"{where}.value")
    else:
        text = _text(data["value"], f"{where}.value")
        if kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
            raise HelplineDataError(f"{where}.value: {text!r} is not an email address")
    return Contact(kind, text)


def _service(value: object, where: str) -> Service:
    data = _object(
        value, where,
        {"name", "contacts", "hours", "cost", "notes", "source", "checked"},
        {"name", "contacts", "source", "checked"},
    )
    contacts = tuple(_contact(item, f"{where}.contacts[{i}]") for i, item in enumerate(_list(data["contacts"],
                                                                                            f"{where}.contacts")))
    if not contacts:
        raise HelplineDataError(f"{where}.contacts: needs at least one way to reach the service")
    return Service(
        name=_text(data["name"], f"{where}.name"),
        contacts=contacts,
        hours=_optional_text(data.get("hours"), f"{where}.hours"),
        cost=_optional_text(data.get("cost"), f"{where}.cost"),
        notes=_optional_text(data.get("notes"), f"{where}.notes"),
        source=_url(data["source"], f"{where}.source"),
        checked=_date(data["checked"], f"{where}.checked"),
    )


def _emergency(value: object, where: str) -> Emergency:
    data = _object(value, where, {"number", "alternatives", "source", "checked"}, {"number", "source", "checked"})
    alternatives = _list(data.get("alternatives", []), f"{where}.alternatives")
    return Emergency(
        number=_text(data["number"], f"{where}.number"),
        alternatives=tuple(_text(item, f"{where}.alternatives[{i}]") for i, item in enumerate(alternatives)),
        source=_url(data["source"], f"{where}.source"),
        checked=_date(data["checked"], f"{where}.checked"),
    )


def _country(code: str, value: object, where: str) -> CountryHelplines:
    data = _object(value, where, {"name", "emergency", "services"}, {"name", "emergency", "services"})
    services = tuple(
        _service(item, f"{where}.services[{i}]") for i, item in enumerate(_list(data["services"], f"{where}.services"))
    )
    if not services:
        raise HelplineDataError(f"{where}.services: needs at least one service")
    country = CountryHelplines(
        code=code,
        name=_text(data["name"], f"{where}.name"),
        emergency=_emergency(data["emergency"], f"{where}.emergency"),
        services=services,
    )
    length = len("\n".join(country.format_lines()))
    if length > EMBED_FIELD_LIMIT:
        raise HelplineDataError(
            f"{where}: formatted text is {length} characters; a Discord embed field holds {EMBED_FIELD_LIMIT}"
        )
    return country


def parse_helplines(raw: object) -> Helplines:
    """Validate decoded JSON (see data/helplines.json) and build `Helplines`; HelplineDataError if invalid."""
    data = _object(
        raw, "helplines",
        {"schema_version", "compiled", "live_verified", "note", "countries", "international"},
        {"schema_version", "compiled", "live_verified", "note", "countries", "international"},
    )
    if data["schema_version"] != SCHEMA_VERSION:
        raise HelplineDataError(f"helplines.schema_version: expected {SCHEMA_VERSION}")
    live_verified = data["live_verified"]
    if not isinstance(live_verified, bool):
        raise HelplineDataError("helplines.live_verified: expected true or false")
    countries_raw = data["countries"]
    if not isinstance(countries_raw, dict) or not countries_raw:
        raise HelplineDataError("helplines.countries: expected a non-empty object keyed by country code")
    countries: dict[str, CountryHelplines] = {}
    for code, value in cast(dict[str, object], countries_raw).items():
        if not _COUNTRY_CODE.match(code) or code in _ALIASES:
            raise HelplineDataError(
                f"helplines.countries: {code!r} is not an upper-case ISO 3166 alpha-2 code (use GB, not UK)"
            )
        countries[code] = _country(code, value, f"helplines.countries.{code}")
    return Helplines(
        countries=countries,
        international=_country(INTERNATIONAL, data["international"], "helplines.international"),
        note=_text(data["note"], "helplines.note"),
        compiled=_date(data["compiled"], "helplines.compiled"),
        live_verified=live_verified,
    )


def _read(path: Path) -> Helplines:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise HelplineDataError(f"cannot read the helplines file {path}: {error.strerror or error}") from error
    try:
        raw: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise HelplineDataError(f"{path} is not valid JSON: {error}") from error
    try:
        return parse_helplines(raw)
    except HelplineDataError as error:
        raise HelplineDataError(f"{path}: {error}") from None


@cache
def _default() -> Helplines:
    return _read(DEFAULT_PATH)


def load_helplines(path: Path | str | None = None) -> Helplines:
    """The shipped helplines (cached) or, given a path, that file (read and validated on every call)."""
    if path is None:
        return _default()
    return _read(Path(path))
