"""The offline demo plays the whole product against SimCord and tells a person what happened: every command
the README lists, each person's view in their own time zone, one name for each person, no raw values."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.demo.runner import run_demo

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
PEOPLE = ("Olive", "Alice", "Bob", "Hal", "Carol", "Dan", "Erin")


def readme_commands(readme: str) -> list[str]:
    """The commands in the command column of README's "What it does today" table: "`/buddy join` · `edit`"
    is /buddy join and /buddy edit; options ("mood:", "days:7|30|90") are not part of a command's name."""
    section = readme.split("## What it does today", 1)[1].split("\n## ", 1)[0]
    commands: list[str] = []
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) < 3 or not cells[1].startswith("`/"):
            continue
        first, *more = re.findall(r"`([^`]+)`", cells[1])
        words = [word for word in first.split() if ":" not in word]
        commands.append(" ".join(words))
        commands += [" ".join([*words[:-1], span.split()[0]]) for span in more]
    return commands


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("demo")
    out = io.StringIO()
    code = run_demo(out_dir, out)
    return code, out.getvalue(), out_dir


def test_the_readme_table_is_read_as_commands():
    commands = readme_commands(README.read_text(encoding="utf-8"))

    assert {"/checkin", "/mood history", "/buddy join", "/buddy edit", "/event-admin cancel",
            "/hearth buddies pair-now", "/privacy delete", "/hearth pulse"} <= set(commands)
    assert all(":" not in command and command.startswith("/") for command in commands)


def test_every_readme_command_is_run_in_the_demo(played):
    code, text, _ = played

    assert code == 0 and "Traceback" not in text
    missing = [command for command in readme_commands(README.read_text(encoding="utf-8"))
               if not re.search(rf"(?:runs|with) {re.escape(command)}(?=[\s:]|$)", text, re.MULTILINE)]
    assert missing == [], f"the README lists these, and the demo never shows them: {missing}"


def test_each_person_sees_times_in_their_own_time_zone(played):
    _, text, _ = played

    assert not re.search(r"\d{1,2}:\d{2} UTC", text)  # Discord never shows a member a time in UTC
    assert "Hearth DMs Alice at 09:00 her time (it's 14:00 in London)" in text
    # the board games night is 19:00 in York; Alice, in New York, sees 14:00 in her list
    assert re.search(r"Alice runs /event list\n.*\n.*\n\s+Board games night: Thursday 5 February 2026 14:00", text)
    assert "Board games night is in an hour: Thursday 5 February 2026 19:00" in text  # Dan, in York, sees 19:00


def test_one_name_for_each_person_and_no_raw_values(played):
    _, text, _ = played

    lowered = [name.lower() for name in PEOPLE]
    assert not re.search(rf"\b({'|'.join(lowered)})\b", text), "a person's name in lower case"
    assert not re.search(rf"@({'|'.join(PEOPLE)})\b", text), "a person shown as a mention"
    assert "day:0" not in text and "Alice runs /nudges on day:“Monday” time:“18:00”" in text
    assert "mood:“😔 low”" in text and "scope:“This date only”" in text
    assert "event:“Board games night (12 February 2026)”" in text  # a meetup by its title, never its id


def test_the_second_buddy_round_is_told_before_alices_digest_names_her_buddies(played):
    _, text, _ = played

    round_two = text.index("── Round two: new buddies")
    digest = text.index("[Your week ahead in Riverside Support Circle]")
    assert round_two < digest
    assert "Your buddies this round are Dan and Erin" in text[digest:] and "No buddy this round" not in text
    assert "Hearth opens a private thread “Buddies: Alice & Dan & Erin”" in text[round_two:digest]


def test_the_story_so_far_still_plays(played):
    _, text, _ = played

    assert "Olive runs /hearth setup" in text and "Time zone: Europe/London" in text
    assert "Alice runs /settings timezone" in text and "America/New_York" in text
    assert "“25:00” isn't a time of day" in text and "Quiet hours: 22:00–07:00" in text
    assert "Hal runs /hearth setup" in text and "Only members with Manage Server can use this command." in text
    assert "(no /hearth)" in text and "[About Hearth]" in text and "only Alice sees this" in text
    assert "[Before Hearth keeps anything about you]" in text and "Alice taps “I agree”" in text
    assert "Bob runs /privacy notice" in text and "you agreed to the privacy notice (version 1)" in text
    assert "Thanks for checking in: 🙂 good" in text
    assert "Sorry today is hard" in text and "Tuesday evening circle" in text
    assert "buttons: Awful · Low · Okay · Good · Great · Pause… · Stop these" in text
    assert "Alice taps “Great”" in text and "(in Alice's DMs)" in text
    assert "Alice joins with /buddy join: Leeds" in text and "Bob joins with /buddy join: York" in text
    assert "You're all around Leeds and open to meeting in person." in text
    assert "Alice taps “In person”" in text and "Groups who answered: 2" in text
    assert "Finding a time: Alice and Carol" in text and "2 of 2 free" in text and "It's agreed" in text
    assert "Alice's pair isn't asked again" in text
    assert "Bob runs /event here" in text and "Dan taps “I'm here”" in text
    assert "Check before posting: Sunday walk by the river" in text
    assert "#1 on the waitlist" in text and "a place opened up" in text
    assert "Olive runs /hearth privacy min_age:18" in text and "Alice taps “I'm 18 or older”" in text
    assert "Sunday walk by the river is tomorrow" in text and "Also going: Alice" in text
    assert "[Meetups this week]" in text and "Online coffee and chat" in text
    assert "[A gentle hello 💛]" in text and "buttons: Less often · Stop" in text


def test_the_capabilities_beyond_commands_each_appear_once(played):
    _, text, _ = played

    assert "[You matter, and help is there right now]" in text and "988" in text  # helplines for New York
    assert "Alice taps “Ask a moderator to reach out”" in text and "Alice asked for someone to reach out" in text
    assert "Carol runs /checkin\n" in text and "buttons: Awful · Low · Okay · Good · Great · Add a note" in text
    assert "Bob taps “I'd like someone to go with”" in text and "“Going together #1: Board games night”" in text
    assert "Repeats: every Thursday at 19:00, 3 times" in text
    assert "is in an hour" in text and "How was it?" in text and "Dan taps “Met someone new”" in text
    assert "Bob taps “Check I got home OK”" in text and "Did you get home safe?" in text
    assert "has been cancelled" in text and "attached: meetup-series-1.ics" in text
    assert "📣 Buddy report from Carol about Bob" in text and "Pause 2 weeks" in text
    assert "[Thinking of you 🌿]" in text and "Dan taps “Stop”" in text and "Alice taps “Less often”" in text
    assert "attached: hearth-export-" in text and "Erin taps “Delete”" in text
    assert "[Community pulse: the last 4 complete weeks]" in text and "Check-ins: " in text
    assert "no news yet of you and Carol meeting" in text and "Online quiz night" in text  # a buddy suggestion
    assert "Discord's own Events list for the server" in text and "Board games night (5 February 2026 19:00)" in text


def test_a_summary_closes_it_and_the_output_has_markdown_and_charts(played):
    _, text, out_dir = played

    summary = text[text.index("── The story in figures"):]
    for figure in ("check-ins stored", "buddy groups introduced", "buddy groups who met in person: 1",
                   "RSVPs", "reminders sent", "nudges and digests sent"):
        assert figure in summary
    for chart in ("mood-history.png", "community-pulse.png"):
        assert (out_dir / chart).read_bytes().startswith(b"\x89PNG")
    markdown = (out_dir / "transcript.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Hearth: a sample month") and "## Round two: new buddies" in markdown
    assert "![mood history](mood-history.png)" in markdown and "![community pulse](community-pulse.png)" in markdown
    assert (out_dir / "transcript.txt").read_text(encoding="utf-8").startswith(text[:200])


def test_demo_runs_from_the_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_"))}
    result = subprocess.run([sys.executable, "-m", "bot", "demo", "--out", str(tmp_path)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300, check=False)

    assert result.returncode == 0, result.stderr
    assert "That was the real Hearth bot" in result.stdout
    assert result.stderr == "", result.stderr
    assert (tmp_path / "transcript.md").exists() and (tmp_path / "mood-history.png").exists()


def test_a_settings_change_is_shown_posted_to_the_support_channel(played):
    _, text, _ = played

    assert "Hearth posts in #mod-support, as it does for every settings change:" in text
    assert "Olive changed Hearth's settings with /hearth checkins" in text


def test_the_sample_in_docs_is_the_demo_as_it_plays_now(played):
    """docs/demo/transcript.md is linked from the README: regenerate it (`python -m bot demo --out docs/demo`)
    whenever the demo's story changes."""
    _, _, out_dir = played
    sample = (REPO / "docs" / "demo" / "transcript.md").read_text(encoding="utf-8")
    fresh = (out_dir / "transcript.md").read_text(encoding="utf-8").replace(str(out_dir), "docs/demo")

    def steady(text: str) -> str:
        text = re.sub(r"took \d+ seconds? to play", "took N seconds to play", text)  # the machine's wall clock
        # An arrival code is random by design (nobody should guess the next one), so it differs every run.
        code = re.search(r"code:(?:“)?([0-9A-Z]{6})\b", text)
        return text.replace(code[1], "CODE") if code else text

    assert steady(sample) == steady(fresh), \
        "the demo changed: run `python -m bot demo --out docs/demo` and commit docs/demo"
