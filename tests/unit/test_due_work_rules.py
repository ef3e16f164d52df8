from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.due_work import BASE_RETRY, MAX_RETRY, retry_delay


def test_retry_delays_double_from_thirty_seconds():
    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]


@given(st.integers(min_value=1, max_value=10_000))
def test_retry_delay_grows_and_is_capped(attempts):
    assert BASE_RETRY <= retry_delay(attempts) <= MAX_RETRY
    assert retry_delay(attempts + 1) >= retry_delay(attempts)
    assert retry_delay(attempts) <= timedelta(hours=1)
