"""Someone's words, shown to other people exactly as they typed them.

What a member or organiser types (a meetup's title or description, an area, interests, a report, support
resources) is shown to others in announcements, intros, DMs and moderators' channels. There it must not be
able to pass for something else: a masked link `[your bank](https://evil.example)` shows its address, a
`# header` or `-# subtext` line shows as typed, `**` and `||` show as typed, and `@everyone` or `<@id>` shows
as text (pings are also off for every message Hearth sends; this keeps them from even looking like pings).

Plain Python (no Discord import), so services that queue a notice can use it too; it is exactly discord.py's
`escape_mentions(escape_markdown(text))`, which tests/unit/test_text.py checks.
"""

from __future__ import annotations

import re

# discord.utils: _URL_REGEX and _MARKDOWN_STOCK_REGEX (links are left alone, so they keep working).
_URL = r"(?P<url><[^: >]+:\/[^ >]+>|(?:https?|steam):\/\/[^\s<]+[^<.,:;\"\'\]\s])"
_MARKDOWN = r"(?P<markdown>[_\\~|\*`]|^>(?:>>)?\s|\[.+\]\(.+\)|^#{1,3}|^\s*-)"
_ESCAPE = re.compile(f"(?:{_URL}|{_MARKDOWN})", re.MULTILINE)
_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{17,20})")


def _escape(match: re.Match[str]) -> str:
    url = match.group("url")
    return url if url else "\\" + match.group("markdown")


def plain(text: str | None) -> str:
    """`text` for other people's eyes: markdown and mentions shown as typed ("" for None)."""
    if not text:
        return ""
    return _MENTION.sub("@\u200b\\1", _ESCAPE.sub(_escape, text))
