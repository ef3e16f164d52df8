"""Forgiving time-zone lookup over the IANA database (shipped by tzdata)."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.errors import UnknownTimeZone

# Names people type that are not IANA keys, or that IANA keeps only as legacy links.
_ALIASES: dict[str, str] = {
    "utc": "UTC",
    "gmt": "Etc/GMT",
    "uk": "Europe/London",
    "britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "ireland": "Europe/Dublin",
    "india": "Asia/Kolkata",
    "ist": "Asia/Kolkata",
    "calcutta": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "japan": "Asia/Tokyo",
    "eastern": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "central": "America/Chicago",
    "cst": "America/Chicago",
    "mountain": "America/Denver",
    "mst": "America/Denver",
    "pacific": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "ottawa": "America/Toronto",
    "montreal": "America/Toronto",
    "canberra": "Australia/Sydney",
    "aest": "Australia/Sydney",
    "cet": "Europe/Paris",
    "beijing": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "cardiff": "Europe/London",
    "belfast": "Europe/London",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "lyon": "Europe/Paris",
    "marseille": "Europe/Paris",
    "cork": "Europe/Dublin",
    "galway": "Europe/Dublin",
}

# Old or technical names we never suggest; they still resolve when typed in full.
_HIDDEN_PREFIXES = ("Etc/", "SystemV/", "posix/", "right/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")
_HIDDEN_NAMES = {"localtime", "Factory", "posixrules", "GMT0", "GMT+0", "GMT-0", "Greenwich", "UCT", "Zulu",
                 "Universal", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "EST", "MST", "HST", "WET", "CET",
                 "MET", "EET", "ROC", "ROK", "PRC", "NZ-CHAT", "Navajo", "W-SU", "Iran", "Israel", "Egypt",
                 "Eire", "Cuba", "Jamaica", "Japan", "Libya", "Poland", "Portugal", "Singapore", "Turkey",
                 "Hongkong", "Iceland", "Kwajalein", "GB", "GB-Eire", "NZ"}


@dataclass(frozen=True)
class ZoneEntry:
    key: str
    city: str  # the last path part in plain words, e.g. "New York"
    searchable: str  # lower-case key and city, for matching


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


@functools.cache
def _catalogue() -> tuple[ZoneEntry, ...]:
    entries = []
    for key in sorted(available_timezones()):
        if key in _HIDDEN_NAMES or key.startswith(_HIDDEN_PREFIXES) or "/" not in key:
            continue
        city = key.rsplit("/", 1)[-1].replace("_", " ")
        entries.append(ZoneEntry(key=key, city=city, searchable=_normalise(f"{key} {city}")))
    entries.append(ZoneEntry(key="UTC", city="UTC", searchable="utc"))
    return tuple(entries)


@functools.cache
def _keys_by_lower() -> dict[str, str]:
    return {key.lower(): key for key in available_timezones()}


def resolve_zone(text: str) -> str:
    """The IANA key for what a member typed, or UnknownTimeZone with suggestions."""
    typed = text.strip()
    if not typed:
        raise UnknownTimeZone(text, [])
    exact = _keys_by_lower().get(typed.lower()) or _keys_by_lower().get(typed.lower().replace(" ", "_"))
    if exact:
        return exact
    normalised = _normalise(typed)
    if normalised in _ALIASES:
        return _ALIASES[normalised]
    cities = [entry.key for entry in _catalogue() if _normalise(entry.city) == normalised]
    if len(cities) == 1:
        return cities[0]
    raise UnknownTimeZone(text, search_zones(typed, limit=3))


def search_zones(query: str, limit: int = 25) -> list[str]:
    """Zones for autocomplete, best first: exact city, alias, city prefix, then anywhere in the name."""
    normalised = _normalise(query)
    if not normalised:
        popular = ["Europe/London", "America/New_York", "America/Los_Angeles", "Europe/Berlin",
                   "Europe/Paris", "Asia/Kolkata", "Australia/Sydney", "America/Toronto", "Europe/Dublin",
                   "UTC"]
        return popular[:limit]
    ranked: list[tuple[int, str]] = []
    alias = _ALIASES.get(normalised)
    if alias:
        ranked.append((0, alias))
    for entry in _catalogue():
        city = _normalise(entry.city)
        if city == normalised or entry.key.lower() == query.strip().lower():
            rank = 1
        elif city.startswith(normalised):
            rank = 2
        elif any(part.startswith(normalised) for part in entry.searchable.split(" ")):
            rank = 3
        elif normalised in entry.searchable:
            rank = 4
        else:
            continue
        ranked.append((rank, entry.key))
    if not ranked:
        # A typo ("Londn", "Sidney"): the closest city names, by similarity.
        by_city = {_normalise(entry.city): entry.key for entry in _catalogue()}
        for close in difflib.get_close_matches(normalised, list(by_city), n=limit, cutoff=0.7):
            ranked.append((5, by_city[close]))
    seen: set[str] = set()
    result = []
    for _, key in sorted(ranked):
        if key not in seen:
            seen.add(key)
            result.append(key)
    return result[:limit]


def zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


@functools.cache
def _zone_countries() -> dict[str, str]:
    """IANA key → ISO country code, from tzdata's zone.tab (first country listed for each zone)."""
    from importlib.resources import files

    table = (files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, key, *_ = line.split("\t")
            countries.setdefault(key, code.split(",")[0])
    return countries


def country_of_zone(key: str | None) -> str | None:
    """The country a time zone belongs to ("Europe/London" → "GB"); None for UTC and the like."""
    return _zone_countries().get(key) if key else None
