"""Charts as PNG bytes (matplotlib, Agg: no display needed): a member's moods, and the community pulse."""

from __future__ import annotations

import io
from datetime import date, timedelta

from bot.domain.moods import Mood, MoodSummary
from bot.domain.pulse import BAND_LABELS, MOOD_BANDS, Pulse
from bot.i18n import N_, _, day_and_month, n_

# The chart is its own card: light text on a soft dark panel reads the same in Discord's dark and
# light themes, where a transparent image would vanish into one of them.
_PANEL = "#2b2d31"
_TEXT = "#f2f3f5"
_GRID = "#4e5058"
_LINE = "#e87e3e"
_MOOD_COLOURS = {1: "#d9534f", 2: "#e8913e", 3: "#c9b458", 4: "#7cb86a", 5: "#4caf8e"}
_BAND_COLOURS = {"hard": "#e8913e", "okay": "#c9b458", "good": "#4caf8e"}
_HIDDEN = "#6d6f78"
# i18n: the lines of the community pulse chart, one a week each
_SERIES = ((N_("Going to meetups"), "#e87e3e"), (N_("Pairs who met in person"), "#4caf8e"),
           (N_("Pairs who met online"), "#5b8def"), (N_("Members who turned nudges on"), "#c9b458"))


def _short_day(day: date) -> str:
    """"5 Dec", "5. Dez.": an axis label, in the reader's language (the chart is drawn in their voice)."""
    return day_and_month(day, weekday=False)


def mood_chart(summary: MoodSummary, today: date) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter

    start = today - timedelta(days=summary.days - 1)
    days = [mdates.date2num(day) for day, _value in summary.daily]  # type: ignore[no-untyped-call]
    values = [value for _day, value in summary.daily]
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=110)
    try:
        figure.patch.set_facecolor(_PANEL)
        axes.set_facecolor(_PANEL)
        axes.plot(days, values, color=_LINE, linewidth=2.2, zorder=2)
        axes.scatter(days, values, c=[_MOOD_COLOURS[round(v)] for v in values], s=46, zorder=3,
                     edgecolors=_PANEL, linewidths=1.2)
        axes.axhline(summary.average, color=_TEXT, alpha=0.35, linestyle="--", linewidth=1)
        axes.set_ylim(0.6, 5.4)
        axes.set_yticks([int(m) for m in Mood], [m.text for m in Mood])
        axes.set_xlim(mdates.date2num(start) - 0.5, mdates.date2num(today) + 0.5)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(FuncFormatter(
            lambda value, _position: _short_day(mdates.num2date(value).date())))  # type: ignore[no-untyped-call]
        axes.grid(axis="y", color=_GRID, linewidth=0.8, alpha=0.7)
        axes.tick_params(colors=_TEXT, labelsize=10)
        for spine in axes.spines.values():
            spine.set_visible(False)
        # i18n: the title of the /mood history chart; {count} is 7, 30 or 90
        title = n_("Your mood, last {count} day", "Your mood, last {count} days", summary.days)
        axes.set_title(title, color=_TEXT, fontsize=13, loc="left", pad=10)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor=_PANEL)
    finally:
        plt.close(figure)
    return buffer.getvalue()


def pulse_chart(pulse: Pulse) -> bytes:
    """Two panels over the period's weeks: check-ins by mood band, and steps toward meeting people. Only
    released cells are drawn; a week's check-ins whose mood bands were withheld show as one grey part."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    weeks = list(range(len(pulse.weeks)))
    labels = [_short_day(start) for start in pulse.weeks.starts]
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.4), dpi=110, sharex=True)
    try:
        figure.patch.set_facecolor(_PANEL)
        base = [0.0] * len(weeks)
        for band in reversed(MOOD_BANDS):  # good at the bottom, hard on top
            values = [float(value or 0) for value in pulse.moods.of(band).weekly]
            top.bar(weeks, values, bottom=base, color=_BAND_COLOURS[band], label=_(BAND_LABELS[band]), width=0.8)
            base = [low + value for low, value in zip(base, values, strict=True)]
        hidden = [max(0.0, float(total) - shown) if total is not None else 0.0
                  for total, shown in zip(pulse.checkins.weekly, base, strict=True)]
        # i18n: in the community pulse chart: weeks whose moods aren't shown, to keep members anonymous
        top.bar(weeks, hidden, bottom=base, color=_HIDDEN, label=_("Mood not shown (fewer than five)"), width=0.8)
        top.set_title(_("Check-ins per week, by mood"), color=_TEXT, fontsize=12, loc="left")
        figures = (pulse.going, pulse.pair_outcomes.of("in_person"), pulse.pair_outcomes.of("online"),
                   pulse.nudge_opt_ins)
        highest = [max((float(total) for total in pulse.checkins.weekly if total is not None), default=1.0), 1.0]
        for (label, colour), figure_values in zip(_SERIES, figures, strict=True):
            values = [float("nan") if value is None else float(value) for value in figure_values.weekly]
            bottom.plot(weeks, values, color=colour, marker="o", markersize=4, linewidth=1.8, label=_(label))
            highest[1] = max([highest[1], *(float(value) for value in figure_values.weekly if value is not None)])
        bottom.set_title(_("Steps toward meeting people, per week"), color=_TEXT, fontsize=12, loc="left")
        step = max(1, len(weeks) // 8)
        bottom.set_xticks(weeks[::step], labels[::step])
        for axes, high in zip((top, bottom), highest, strict=True):
            axes.set_facecolor(_PANEL)
            axes.set_ylim(0, high * 1.5)  # headroom: the legend sits above the tallest bar
            axes.grid(axis="y", color=_GRID, linewidth=0.8, alpha=0.7)
            axes.tick_params(colors=_TEXT, labelsize=9)
            for spine in axes.spines.values():
                spine.set_visible(False)
            legend = axes.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
            for text in legend.get_texts():
                text.set_color(_TEXT)
        figure.text(0.01, 0.005, _("Weeks start Monday 00:00 UTC. A week is drawn only where five or more members "
                                   "took part in that figure."), color=_TEXT, alpha=0.7, fontsize=8)
        figure.tight_layout(rect=(0, 0.03, 1, 1))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor=_PANEL)
    finally:
        plt.close(figure)
    return buffer.getvalue()
