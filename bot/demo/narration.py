"""Turn what SimCord saw into sentences a person can follow."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Protocol

_MENTION = re.compile(r"<(#|@&|@!?)(\d+)>")
_TIMESTAMP = re.compile(r"<t:(\d+)(?::([a-zA-Z]))?>")


class Writer(Protocol):
    def write(self, text: str, /) -> int: ...


class Narrator:
    """Writes a readable transcript: who did what, and what they (and only they) saw."""

    def __init__(self, env: Any, out: Writer) -> None:
        self._env = env
        self._out = out
        self._names: dict[int, str] = {}

    def know(self, handle: Any, label: str) -> None:
        self._names[handle.id] = label

    def scene(self, title: str) -> None:
        self._out.write(f"\n── {title} " + "─" * max(0, 66 - len(title)) + "\n")

    def note(self, text: str) -> None:
        self._out.write(f"   · {text}\n")

    def action(self, who: str, what: str) -> None:
        self._out.write(f"\n{who} {what}\n")

    def command(self, who: str, name: str, options: dict[str, Any]) -> None:
        shown = " ".join(f"{key}:{self._option(value)}" for key, value in options.items())
        self.action(who, f"runs /{name} {shown}".rstrip())

    def result(self, who: str, result: Any, *, in_dm: bool = False) -> None:
        message = result.followups[-1] if result.followups else result.response
        if message is None:
            self._out.write("   (no answer)\n")
            return
        if in_dm:
            audience = f"in {who}'s DMs"
        else:
            audience = f"only {who} sees this" if message.ephemeral else "everyone in the channel sees this"
        self._out.write(f"   ↳ Hearth answers ({audience}):\n")
        for line in self.render(message.content, message.embeds):
            self._out.write(f"     {line}\n")

    def render(self, content: str | None, embeds: list[Any]) -> list[str]:
        lines = [self.humanise(line) for line in (content or "").splitlines() if line.strip()]
        for embed in embeds:
            if embed.title:
                lines.append(f"[{self.humanise(embed.title)}]")
            if embed.description:
                lines += [self.humanise(line) for line in embed.description.splitlines()]
            for field in embed.fields:
                first, *rest = self.humanise(field.value).splitlines() or [""]
                lines.append(f"{field.name}: {first}")
                lines += [f"  {line}" for line in rest]
            if embed.footer and embed.footer.text:
                lines.append(f"({embed.footer.text})")
        return lines

    def humanise(self, text: str) -> str:
        text = text.replace("**", "").replace("`", "")
        text = _TIMESTAMP.sub(self._timestamp, text)
        return _MENTION.sub(self._mention, text)

    def _mention(self, match: re.Match[str]) -> str:
        kind, raw = match.groups()
        name = self._names.get(int(raw), raw)
        return f"#{name}" if kind == "#" else f"@{name}"

    def _timestamp(self, match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC)
        if match.group(2) == "R":
            seconds = int((self._env.now() - moment).total_seconds())
            if abs(seconds) < 60:
                return "just now"
            minutes = abs(seconds) // 60
            span = (f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours" if minutes < 48 * 60
                    else f"{minutes // 1440} days")
            return f"{span} {'ago' if seconds > 0 else 'from now'}"
        return f"{moment:%a %d %b %Y %H:%M} UTC"

    def _option(self, value: Any) -> str:
        if hasattr(value, "id") and value.id in self._names:
            prefix = "#" if getattr(value, "is_thread", None) is not None and hasattr(value, "threads") else "@"
            return f"{prefix}{self._names[value.id]}"
        return f"“{value}”" if isinstance(value, str) else str(value)
