"""Hypothesis strategies and settings shared by the property tests (tests/test_properties.py,
tests/payments/test_properties.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# property tests judge behaviour, never speed: no deadline (the machine is shared), a bounded number of examples
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# JSON as an attacker writes it: any nesting of objects, arrays, strings, bools, null, and numbers of any size
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip
