"""The readers on their own: the strict JSON reader and its fast path for batch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from admitcheck.errors import ProfileError
from admitcheck.inputs import json_text

KEYS = st.sampled_from(["gpa", "id", "name", 'a":b', "total", "x y", "\\u0022:", "q\\u003a"])
SPACE = st.sampled_from(["", " ", "\t", " \t", "\n", "\r\n  "])


@st.composite
def json_objects(draw: st.DrawFn) -> bytes:
    """JSON objects written by hand: maybe a repeated key, any whitespace before colons,
    and string values that contain `":`."""
    pairs = draw(
        st.lists(
            st.tuples(
                KEYS,
                st.one_of(
                    st.integers(0, 9),
                    st.just(2**70),
                    st.sampled_from(['"x":', "'q'", '"', '" :', "\\u0022:", "\\u003A"]),
                ),
            )
        )
    )
    nested = draw(st.booleans())
    parts = []
    for key, value in pairs:
        # keys and strings holding a \\u escape are written raw, so the escape stays one
        encoded = f'"{value}"' if isinstance(value, str) and "\\u" in value else json.dumps(value)
        written = f'"{key}"' if "\\u" in key else json.dumps(key)
        parts.append(f"{written}{draw(SPACE)}:{draw(SPACE)}{encoded}")
    body = "{" + ", ".join(parts) + "}"
    if nested:
        body = '{"outer"' + draw(SPACE) + ": " + body + "}"
    return body.encode()


def strict_says_repeated(data: bytes) -> bool:
    try:
        json_text.parse(data, "doc")
    except ProfileError as exc:
        assert "duplicate key" in exc.message
        return True
    return False


@settings(max_examples=500, deadline=None)
@given(data=json_objects())
def test_the_batch_fast_path_agrees_with_the_strict_reader(data: bytes) -> None:
    assert (json_text.repeated_key(data) is not None) == strict_says_repeated(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"gpa" \t: 3.5, "gpa" \t: 2.0}',
        b'{"gpa"\t:3.5,"gpa"\t:2.0}',
        b'{"gpa"\n:3.5,\n"gpa"\r\n:2.0}',
        b'{"tests": {"gre": {"total": 300, "total" : 310}}}',
        # quotes and escapes: the fast path counts quotes
        b'{"a\\"": 1, "a\\"": 2}',
        b'{"\\u0061": 1, "a": 2}',
        b'{"name": "x\\": 1", "name": "y"}',
        b'{"courses": [{"title": "\\u0022Maths\\u0022", "title": "B"}]}',
    ],
)
def test_a_repeated_key_is_found_whatever_its_spacing_and_escapes(data: bytes) -> None:
    assert json_text.repeated_key(data) is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"gpa": NaN}', "doc: invalid JSON: NaN is not a JSON number"),
        ('{"a": 1, "a": 2}', "doc: duplicate key 'a' in a JSON object"),
        ("", "doc: file is empty, expected a JSON object"),
    ],
)
def test_the_strict_reader_names_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        json_text.parse(text, "doc")
    assert caught.value.message == message


def test_the_strict_reader_keeps_big_integers_for_the_validator() -> None:
    value: Any = json_text.parse('{"id": 123456789012345678901234567890}', "doc")
    assert json.loads(json_text.to_json(value)) == value
