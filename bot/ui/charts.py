"""Mood-over-time charts as PNG bytes (matplotlib, Agg: no display needed)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from bot.domain.moods import Mood, MoodSummary

# The chart is its own card: light text on a soft dark panel reads the same in Discord's dark and
# light themes, where a transparent image would vanish into one of them.
_PANEL = "#2b2d31"
_TEXT = "#f2f3f5"
_GRID = "#4e5058"
_LINE = "#e87e3e"
_MOOD_COLOURS = {1: "#d9534f", 2: "#e8913e", 3: "#c9b458", 4: "#7cb86a", 5: "#4caf8e"}


def mood_chart(summary: MoodSummary, today: date) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    start = today - timedelta(days=summary.days - 1)
    days = [mdates.date2num(day) for day, _ in summary.daily]  # type: ignore[no-untyped-call]
    values = [value for _, value in summary.daily]
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=110)
    try:
        figure.patch.set_facecolor(_PANEL)
        axes.set_facecolor(_PANEL)
        axes.plot(days, values, color=_LINE, linewidth=2.2, zorder=2)
        axes.scatter(days, values, c=[_MOOD_COLOURS[round(v)] for v in values], s=46, zorder=3,
                     edgecolors=_PANEL, linewidths=1.2)
        axes.axhline(summary.average, color=_TEXT, alpha=0.35, linestyle="--", linewidth=1)
        axes.set_ylim(0.6, 5.4)
        axes.set_yticks([int(m) for m in Mood], [m.word for m in Mood])
        axes.set_xlim(mdates.date2num(start) - 0.5, mdates.date2num(today) + 0.5)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
        axes.grid(axis="y", color=_GRID, linewidth=0.8, alpha=0.7)
        axes.tick_params(colors=_TEXT, labelsize=10)
        for spine in axes.spines.values():
            spine.set_visible(False)
        axes.set_title(f"Your mood, last {summary.days} days", color=_TEXT, fontsize=13, loc="left", pad=10)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor=_PANEL)
    finally:
        plt.close(figure)
    return buffer.getvalue()
