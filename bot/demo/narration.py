"""Turn what SimCord saw into sentences a person can follow, with times as each reader's Discord shows them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

_MENTION = re.compile(r"<(#|@&|@!?)(\d+)>")
_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([a-zA-Z]))?>")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
# Discord's timestamp styles, as a British English client shows them (24-hour clock).
_STYLES = {"t": "%H:%M", "T": "%H:%M:%S", "d": "%d/%m/%Y", "D": "%-d %B %Y", "f": "%-d %B %Y %H:%M",
           "F": "%A %-d %B %Y %H:%M"}
SERVER_ZONE = "Europe/London"


class Writer(Protocol):
    def write(self, text: str, /) -> int: ...


class Narrator:
    """Writes a readable transcript: who did what, and what they (and only they) saw. Discord shows a
    timestamp in each reader's own time zone, so each person's view is rendered in theirs."""

    def __init__(self, env: Any, out: Writer) -> None:
        self._env = env
        self._out = out
        self._names: dict[int, str] = {}
        self._zones: dict[str, tzinfo] = {}
        self.commands_run: list[str] = []

    def know(self, handle: Any, label: str, zone: str = SERVER_ZONE) -> None:
        self._names[handle.id] = label
        self._zones[label] = ZoneInfo(zone)

    def name(self, handle: Any) -> str:
        return self._names.get(handle.id, str(getattr(handle, "name", handle.id)))

    def zone(self, who: str | None) -> tzinfo:
        return self._zones.get(who or "", ZoneInfo(SERVER_ZONE))

    def local(self, who: str | None, moment: datetime, style: str = "F") -> str:
        """A moment as `who`'s Discord would show it (the server's time zone for a post everyone reads)."""
        return moment.astimezone(self.zone(who)).strftime(_STYLES.get(style, _STYLES["f"]))

    def scene(self, title: str) -> None:
        self._out.write(f"\n── {title} " + "─" * max(0, 66 - len(title)) + "\n")

    def note(self, text: str) -> None:
        self._out.write(f"   · {text}\n")

    def action(self, who: str, what: str) -> None:
        self._out.write(f"\n{who} {what}\n")

    def command(self, who: str, name: str, options: dict[str, Any], choices: dict[str, dict[Any, str]]) -> None:
        self.commands_run.append(name)
        shown = " ".join(f"{key}:{self._option(value, choices.get(key, {}))}" for key, value in options.items())
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
        self.show(message, who, prefix="     ")

    def show(self, message: Any, viewer: str | None, *, prefix: str = "   · ") -> None:
        """A message as `viewer` sees it, with its buttons and attachments."""
        for line in self.render(message.content, message.embeds, viewer):
            self._out.write(f"{prefix}{line}\n")
        labels = button_labels(message)
        if labels:
            self._out.write(f"{prefix}buttons: {' · '.join(labels)}\n")
        files = [attachment.filename for attachment in getattr(message, "attachments", []) or []]
        if files:
            self._out.write(f"{prefix}attached: {', '.join(files)}\n")

    def render(self, content: str | None, embeds: list[Any], viewer: str | None = None) -> list[str]:
        lines = [self.humanise(line, viewer) for line in (content or "").splitlines() if line.strip()]
        for embed in embeds:
            if embed.title:
                lines.append(f"[{self.humanise(embed.title, viewer)}]")
            if embed.description:
                lines += [self.humanise(line, viewer) for line in embed.description.splitlines()]
            for field in embed.fields:
                first, *rest = self.humanise(field.value, viewer).splitlines() or [""]
                lines.append(f"{field.name}: {first}")
                lines += [f"  {line}" for line in rest]
            if embed.footer and embed.footer.text:
                lines.append(f"({embed.footer.text})")
        return lines

    def humanise(self, text: str, viewer: str | None = None) -> str:
        text = text.replace("**", "").replace("`", "")
        text = _LINK.sub(lambda match: f"{match.group(1)} ↗", text)  # a link shows its words, as Discord does
        text = _TIMESTAMP.sub(lambda match: self._timestamp(match, viewer), text)
        return _MENTION.sub(self._mention, text)

    def _mention(self, match: re.Match[str]) -> str:
        kind, raw = match.groups()
        name = self._names.get(int(raw), raw)
        return {"#": f"#{name}", "@&": f"@{name}"}.get(kind, name)  # a person: their name, as everywhere else

    def _timestamp(self, match: re.Match[str], viewer: str | None) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC)
        if match.group(2) == "R":
            seconds = int((self._env.now() - moment).total_seconds())
            if abs(seconds) < 60:
                return "just now"
            minutes = abs(seconds) // 60
            span = (f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours" if minutes < 48 * 60
                    else f"{minutes // 1440} days")
            return f"{span} {'ago' if seconds > 0 else 'from now'}"
        return self.local(viewer, moment, match.group(2) or "f")

    def _option(self, value: Any, choices: dict[Any, str]) -> str:
        if value in choices:
            return f"“{choices[value]}”"
        if hasattr(value, "id") and value.id in self._names:
            prefix = "#" if hasattr(value, "threads") else ""
            return f"{prefix}{self._names[value.id]}"
        return f"“{value}”" if isinstance(value, str) else str(value)


def button_labels(message: Any) -> list[str]:
    """The labels of a message's buttons: a SimCord answer holds component dicts, a channel message objects."""
    labels: list[str] = []
    for row in getattr(message, "components", None) or []:
        children = row.get("components", []) if isinstance(row, dict) else getattr(row, "children", [])
        for child in children:
            label = child.get("label") if isinstance(child, dict) else getattr(child, "label", None)
            if label:
                labels.append(str(label))
    return labels
