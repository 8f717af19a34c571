"""Numbers clients write in text (a link's expiry, a Content-Length): ASCII digits only, and few enough for int().

`str.isdigit()` is true for '²' and '١', which int() then refuses or reads, and int() of 5,000 digits raises: both
were 500s where a client's text met int().
"""

from __future__ import annotations


def ascii_int(text: str | None, max_digits: int) -> int | None:
    """The number `text` writes in 1..max_digits ASCII digits, else None."""
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
