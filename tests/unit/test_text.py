"""`plain`: someone's words shown to others exactly as typed, the same as discord.py's own escaping."""

from __future__ import annotations

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.text import plain
from bot.ui.formatting import web_link

MARKDOWN_BITS = st.sampled_from(["*", "**", "_", "__", "~~", "||", "`", "```", "> ", ">>> ", "# ", "## ", "-# ",
                                 "- ", "[x](https://e.xx/y)", "<https://e.xx>", "https://e.xx/a_b", "\\", "\n",
                                 "@everyone", "@here", "<@123456789012345678>", "<@&123456789012345678>",
                                 "<@!123456789012345678>", " ", "word"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=5)), max_size=12).map("".join))
def test_plain_is_discords_own_escaping(text):
    assert plain(text) == discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def test_what_could_pass_for_something_else_shows_as_typed():
    assert plain("[your bank](https://evil.example)") == "\\[your bank](https://evil.example)"
    assert plain("# URGENT") == "\\# URGENT"
    assert plain("-# small print") == "\\-# small print"
    assert plain("@everyone <@123456789012345678>") == "@\u200beveryone <@\u200b123456789012345678>"
    assert plain(None) == "" and plain("") == ""


def test_links_keep_working_and_carry_no_markdown():
    assert plain("see https://example.org/a_b_c") == "see https://example.org/a_b_c"
    assert web_link("https://example.org/a?b=1&c=2#top") == "https://example.org/a?b=1&c=2#top"
    assert web_link("https://e.example/[x](https://evil.example) *y*") == \
        "https://e.example/%5Bx%5D%28https://evil.example%29%20%2Ay%2A"
    assert web_link(None) == ""
