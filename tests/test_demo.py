"""The offline demo plays the whole product so far against SimCord and tells a person what happened."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from bot.demo.runner import run_demo


def test_demo_plays_every_capability_and_explains_what_each_person_sees(tmp_path):
    out = io.StringIO()

    code = run_demo(tmp_path / "demo", out)

    text = out.getvalue()
    assert code == 0
    assert "Olive runs /hearth setup" in text and "Time zone: Europe/London" in text
    assert "Alice runs /settings timezone" in text and "America/New_York" in text
    assert "“25:00” isn't a time of day" in text
    assert "Quiet hours: 22:00–07:00" in text
    assert "Hal runs /hearth setup" in text and "Only members with Manage Server can use this command." in text
    assert "(no /hearth)" in text
    assert "[About Hearth]" in text
    assert "only Alice sees this" in text
    assert "Traceback" not in text
    # consent: Alice's first check-in shows the privacy notice; "I agree" carries her check-in on
    assert "[Before Hearth keeps anything about you]" in text and "Alice taps “I agree”" in text
    assert "Bob runs /privacy notice" in text and "you agreed to the privacy notice (version 1)" in text
    # check-ins: a check-in, a low-mood answer, a DM prompt tapped, a chart saved
    assert "Thanks for checking in: 🙂 good" in text
    assert "Sorry today is hard" in text and "Tuesday evening circle" in text
    assert "buttons: Awful · Low · Okay · Good · Great · Stop these" in text
    assert "Alice taps “Great”" in text and "(in Alice's DMs)" in text
    # buddies: a pool in two towns, intros in private threads, follow-up answers
    assert "Alice joins with /buddy join: Leeds" in text and "Bob joins with /buddy join: York" in text
    assert "You're all around Leeds and open to meeting in person." in text
    assert "You're all around York and open to meeting in person." in text
    assert "Alice taps “In person”" in text and "Groups who answered: 2" in text
    # events: a meetup with RSVPs, a waitlist promotion and a reminder
    assert "Check before posting: Sunday walk by the river" in text
    assert "#1 on the waitlist" in text and "a place opened up" in text
    assert "Olive runs /hearth privacy min_age:18" in text and "Alice taps “I'm 18 or older”" in text
    assert "Sunday walk by the river is tomorrow" in text and "Also going: alice" in text
    # nudges: the server's week ahead, Alice's digest at her local time, one kind word after hard days
    assert "[Meetups this week]" in text and "Online coffee and chat" in text
    assert "Alice runs /nudges on" in text and "[Your week ahead in Riverside Support Circle]" in text
    assert "[A gentle hello 💛]" in text and "buttons: Less often · Stop" in text
    chart = tmp_path / "demo" / "mood-history.png"
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "demo" / "transcript.txt").read_text(encoding="utf-8").startswith(text[:200])


def test_demo_runs_from_the_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_"))}
    result = subprocess.run([sys.executable, "-m", "bot", "demo", "--out", str(tmp_path)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300, check=False)

    assert result.returncode == 0, result.stderr
    assert "That was the real Hearth bot" in result.stdout
    assert result.stderr == "", result.stderr
