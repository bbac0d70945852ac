"""The provision splitter is total: any text splits into in-bounds, ordered, non-empty units.

Law texts are pack input (kilder/love/*.yaml), so a mangled or hostile
provision must give units or none, never an exception or a hang.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from regelkode.front.lovenheder import split_units

from .support import HARD_LIMIT_S, fuzz_settings, time_limit

# Pieces of Danish legal text that steer the splitter, mixed with anything at all.
PIECES = ["§ 12. ", "Stk. 2. ", "Stk. 3. ", "stk. 2", "jf. ", "nr. 1", "1) ", "2) ", "3) ",
          "1. pkt. ", "m.v. ", "kr. ", ". ", "» ", "«", "Det ", "den 1. januar ", "\n", "  "]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)


@fuzz_settings(scale=2.0)
@given(TEXT)
def test_any_text_splits_into_valid_units(text):
    with time_limit(HARD_LIMIT_S):
        units = split_units(text)
    last = -1
    for u in units:
        assert 0 <= u.start < u.end <= len(text)
        assert u.start >= last
        last = u.start
        assert u.tekst and u.tekst == " ".join(text[u.start:u.end].split())
        assert u.stk >= 1 and u.pkt >= 1 and (u.nr is None or u.nr >= 1)
