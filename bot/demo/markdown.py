"""The transcript as Markdown, for a README to link: one heading per scene, what happened as plain text,
and the charts the members saw as images next to it."""

from __future__ import annotations

import re
from pathlib import Path

_SCENE = re.compile(r"^── (.+?) ─*$")
_CHART = re.compile(r"was saved to (\S+\.png)")


def to_markdown(transcript: str, out_dir: Path) -> str:
    parts = ["# Hearth: a sample month", "",
             "What `python -m bot demo` printed: the real Hearth bot answering a simulated Discord server. "
             "Each person's view shows times in their own time zone, as Discord does.", ""]
    block: list[str] = []

    def flush() -> None:
        while block and not block[-1].strip():
            block.pop()
        while block and not block[0].strip():
            block.pop(0)
        if block:
            parts.extend(["```text", *block, "```", ""])
            for line in block:
                found = _CHART.search(line)
                if found and (out_dir / Path(found.group(1)).name).exists():
                    parts.extend([f"![{Path(found.group(1)).stem.replace('-', ' ')}]({Path(found.group(1)).name})", ""])
        block.clear()

    for line in transcript.splitlines():
        scene = _SCENE.match(line)
        if scene:
            flush()
            parts.extend([f"## {scene.group(1)}", ""])
        else:
            block.append(line)
    flush()
    return "\n".join(parts)
