"""Hypothesis strategies for hostile values: SSML-special text, huge strings, JSON, deep nesting."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

SSML_SPECIAL = st.sampled_from(
    [
        "&",
        "<",
        ">",
        '"',
        "'",
        "&amp;",
        "&lt;speak&gt;",
        "]]>",
        "<![CDATA[",
        "<break time='10s'/>",
        "</speak>",
        "<speak>",
        "<audio src='https://x'/>",
        "\u0000",
        "\u200b",
        "\ufeff",
        "\ud800",  # a lone surrogate, as JSON can carry one
        "é",
        "🦶",
        "{{ content }}",
        "{% raw %}",
        "%s",
        "\\",
        "\n",
    ]
)

TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(SSML_SPECIAL, st.text(max_size=4)), max_size=10).map("".join),
)

# Thousands of characters, yet (as JSON, escapes and all) well inside the 64 KiB body limit, so
# they reach the skill; bodies over the limit are drawn separately.
HUGE = st.builds(
    lambda piece, size: (piece * (size // len(piece) + 1))[:size],
    st.one_of(SSML_SPECIAL, st.sampled_from(["a", "calf ", "é", "&<>"])),
    st.integers(min_value=500, max_value=3_000),
)

SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXT,
)

# Object keys: arbitrary, or names the SDK's model objects have themselves.
KEYS = TEXT | st.sampled_from(
    ["__dict__", "__class__", "type", "version", "deserialized_types", "attribute_map", "to_dict"]
)

JSON = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _nest(depth: int, kind: str) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value] if kind == "list" else {"x": value}
    return value


# Deep inside an envelope (as deep as json can still write), and whole bodies nested far deeper.
DEEP = st.builds(
    lambda depth, kind: _nest(depth, kind),
    st.integers(min_value=10, max_value=800),
    st.sampled_from(["list", "dict"]),
)

DEEP_BODY: st.SearchStrategy[bytes] = st.builds(
    lambda depth, kind: (
        (b"[" * depth + b"]" * depth)
        if kind == "list"
        else (b'{"a":' * depth + b"1" + b"}" * depth)
    ),
    st.integers(min_value=500, max_value=12_000),
    st.sampled_from(["list", "dict"]),
)

HOSTILE = st.one_of(JSON, TEXT, JSON, TEXT, HUGE, DEEP)


def sometimes(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> Any:
    """`usual` four times in five, `rare` otherwise."""
    return st.sampled_from(range(5)).flatmap(lambda pick: rare if pick == 3 else usual)
