"""The fields reading: what a record pasted into a text says, one field a line.

People paste records: JSON (``{"name": "Mehmet Kaya"}``, ``\\u`` escapes included), CSV and TSV rows
under a header (or without one), Markdown tables, HTML inputs and attributes (``<input name="surname"
value="Haugland">``, ``title="..."``), XML elements (``<lastName>Virtanen</lastName>``), and
``key=value`` pairs of query strings, form bodies and log lines, percent-encoding decoded
(``q=Nikos%20Antoniou``, ``user=ahmed.saleh``).
The NER reads none of these well. This reading writes every field it finds as a line of its own,
``name: value`` (a cell without a header as a line alone), decoded, so that the recognizers, the NER
and the form-field rule (rules/form_field.py) read it as they read a form. Every character keeps
the offset of the original it came from (an escape or a percent-encoded byte run maps to all of its
characters), so spans map back to exactly the original text. A text without a record has no fields
reading (``fields_view`` returns None).
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import unquote

from .view import View

_PAIR = re.compile(
    r"""(?P<kq>["'])(?P<key>[^\W\d][\w .-]{0,40}?)(?P=kq)[^\S\n]*:[^\S\n]*"""
    r"""(?:(?P<vq>["'])(?P<value>(?:\\.|(?!(?P=vq))[^\\\n]){1,200}?)(?P=vq)|(?P<number>[+\d][\d ().\-]{4,30}\d))""")
_TAG = re.compile(r"<[A-Za-z][\w:-]*(?P<attrs>(?:\s+[\w:-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))+)\s*/?>")
_ATTR = re.compile(r"(?P<name>[\w:-]+)\s*=\s*(?:\"(?P<dq>[^\"<>]*)\"|'(?P<sq>[^'<>]*)')")
TEXT_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "placeholder", "label", "summary", "content"})
# key=value: query strings, form bodies, log lines ("user=ahmed.saleh ip=192.0.2.77")
_KEY_VALUE = re.compile(r"(?:^|(?<=[\s?&;,(\[]))(?P<key>[A-Za-z_][\w.\-]{0,39})=(?P<value>[^\s&;,\"'<>()\[\]]{1,200})",
                        re.MULTILINE)
# an XML element holding text: <lastName>Virtanen</lastName>
_ELEMENT = re.compile(r"<(?P<tag>[A-Za-z][\w:.-]{0,40})(?:\s[^<>]*)?>(?P<value>[^<>\n]{1,200})</(?P=tag)>")
_ESCAPE = re.compile(r"\\(?:u(?P<hex>[0-9a-fA-F]{4})|(?P<char>[\\/\"'bfnrt]))")
_ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
DELIMITERS = (",", ";", "\t", "|")
MIN_ROWS = 2  # a table is at least two lines with the same cells
MAX_CELLS = 30
MAX_CELL = 80  # a longer cell is a clause of prose, not a field
MAX_MEAN_CELL = 40

Chars = list[tuple[str, int, int]]  # (character, original start, original end)


def _plain(text: str, start: int, end: int) -> Chars:
    return [(text[i], i, i + 1) for i in range(start, end)]


def _json_string(text: str, start: int, end: int) -> Chars:
    """A JSON (or Python) string's body decoded: escapes read as their characters."""
    out: Chars = []
    pos = start
    for m in _ESCAPE.finditer(text, start, end):
        out += _plain(text, pos, m.start())
        if m.group("hex"):
            code = int(m.group("hex"), 16)
            ch = chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd"
        else:
            ch = _ESCAPED.get(m.group("char"), m.group("char"))
        out.append((ch, m.start(), m.end()))
        pos = m.end()
    out += _plain(text, pos, end)
    if len(out) >= 2:  # a surrogate pair of escapes is one character
        merged: Chars = []
        for item in out:
            if merged and item[0] == "\ufffd" and merged[-1][0] == "\ufffd":
                merged[-1] = ("\ufffd", merged[-1][1], item[2])
            else:
                merged.append(item)
        out = merged
    return [(("\n" if c in "\r\n" else c), a, b) for c, a, b in out]


def _query_value(text: str, start: int, end: int) -> Chars:
    """A query-string value decoded: "+" is a space, a run of %XX is its UTF-8 text."""
    out: Chars = []
    pos = start
    for m in _PERCENT_RUN.finditer(text, start, end):
        out += [(" " if c == "+" else c, a, b) for c, a, b in _plain(text, pos, m.start())]
        decoded = unquote(m.group())
        out += [(c, m.start(), m.end()) for c in decoded]  # each decoded character maps to the whole run
        pos = m.end()
    out += [(" " if c == "+" else c, a, b) for c, a, b in _plain(text, pos, end)]
    return out


def _key(text: str, start: int, end: int) -> Chars:
    """A field name as words: "first_name", "firstName", "first-name" read "first name"."""
    out: Chars = []
    for i in range(start, end):
        c = text[i]
        if c in "_-." and out:
            c = " "
        elif c.isupper() and out and out[-1][0].islower():
            out.append((" ", i, i + 1))
            c = c.lower()
        out.append((c, i, i + 1))
    return out


def _json_fields(text: str) -> Iterator[tuple[Chars, Chars]]:
    for m in _PAIR.finditer(text):
        key = _key(text, *m.span("key"))
        if m.group("value") is not None:
            yield key, _json_string(text, *m.span("value"))
        else:
            yield key, _plain(text, *m.span("number"))


def _html_fields(text: str) -> Iterator[tuple[Chars, Chars]]:
    for tag in _TAG.finditer(text):
        attrs = {}
        for a in _ATTR.finditer(text, *tag.span("attrs")):
            group = "dq" if a.group("dq") is not None else "sq"
            attrs[a.group("name").lower()] = a.span(group)
        if "value" in attrs:
            named = next((attrs[k] for k in ("name", "id", "aria-label", "placeholder", "label") if k in attrs), None)
            key = _key(text, *named) if named else []
            yield key, _plain(text, *attrs["value"])
        for name in TEXT_ATTRIBUTES & attrs.keys():
            if name not in ("aria-label", "placeholder", "label") or "value" not in attrs:
                yield [], _plain(text, *attrs[name])


def _key_value_fields(text: str) -> Iterator[tuple[Chars, Chars]]:
    for m in _KEY_VALUE.finditer(text):
        yield _key(text, *m.span("key")), _query_value(text, *m.span("value"))


def _element_fields(text: str) -> Iterator[tuple[Chars, Chars]]:
    for m in _ELEMENT.finditer(text):
        yield _key(text, *m.span("tag")), _plain(text, *m.span("value"))


def _cells(line: str, offset: int, delimiter: str) -> list[tuple[int, int]]:
    """The cells of a line (quoted cells may hold the delimiter), as original ranges without the
    quotes and the spaces around."""
    out, pos, n = [], 0, len(line)
    while pos <= n:
        start = pos
        if line[start:start + 1] == '"':
            close = line.find('"', start + 1)
            while close != -1 and line[close + 1:close + 2] == '"':
                close = line.find('"', close + 2)
            if close != -1:
                end = line.find(delimiter, close + 1)
                end = n if end == -1 else end
                out.append((offset + start + 1, offset + close))
                pos = end + 1
                continue
        end = line.find(delimiter, start)
        end = n if end == -1 else end
        a, b = start, end
        while a < b and line[a] in " \t":
            a += 1
        while b > a and line[b - 1] in " \t\r":
            b -= 1
        out.append((offset + a, offset + b))
        pos = end + 1
    return out


def _row_like(line: str, delimiter: str, count: int) -> bool:
    """A line that can be a table row: short cells, and (split by commas) no sentence's final stop."""
    cells = line.split(delimiter)
    if max(len(c) for c in cells) > MAX_CELL or len(line) - count > MAX_MEAN_CELL * (count + 1):
        return False
    return delimiter != "," or not line.rstrip().endswith((".", "!", "?", ":"))


def _table_fields(text: str) -> Iterator[tuple[Chars, Chars]]:
    """Rows of a table: a run of at least two lines split into the same number (2 or more) of cells
    by one delimiter. The first row is a header when it has no digit and a later row has one, or a
    Markdown separator follows it; a header's cell names the cells under it."""
    from .rules.form_field import field_type

    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    i = 0
    while i < len(lines):
        best = None
        for d in DELIMITERS:
            count = lines[i][1].count(d)
            if not 1 <= count <= MAX_CELLS:
                continue
            j = i
            while j < len(lines) and lines[j][1].count(d) == count and _row_like(lines[j][1], d, count):
                j += 1
            if j - i >= MIN_ROWS and (best is None or j - i > best[1] - i):
                best = (d, j)
        if best is None:
            i += 1
            continue
        d, j = best
        rows = [_cells(line, start, d) for start, line in lines[i:j]]
        if d == "|":  # a Markdown table: its outer pipes make empty first and last cells
            rows = [r[1:-1] if len(r) > 2 and r[0][0] == r[0][1] and r[-1][0] == r[-1][1] else r for r in rows]
        rows = [r for r in rows if not all(set(text[a:b]) <= set("-: ") for a, b in r)]  # the --- line
        head = rows[0]
        names = [text[a:b] for a, b in head]
        has_header = (not any(c.isdigit() for n in names for c in n)
                      and (any(any(c.isdigit() or c == "@" for c in text[a:b]) for r in rows[1:] for a, b in r)
                           or sum(field_type(n) is not None for n in names) * 2 >= len(names)
                           or "---" in text[lines[i][0]:lines[j - 1][0] + len(lines[j - 1][1])]))
        body = rows[1:] if has_header else rows
        for row in body:
            for k, (a, b) in enumerate(row):
                if a < b:
                    key = _key(text, *head[k]) if has_header and k < len(head) else []
                    yield key, _plain(text, a, b)
        i = j


def fields(text: str) -> list[tuple[Chars, Chars]]:
    """Every field of the records in ``text``: (name, value), each as characters with their origins."""
    found: list[tuple[Chars, Chars]] = []
    if ":" in text and ('"' in text or "'" in text):
        found += _json_fields(text)
    if "<" in text:
        if "=" in text:
            found += _html_fields(text)
        if "</" in text:
            found += _element_fields(text)
    if "=" in text:
        found += _key_value_fields(text)
    if "\n" in text:
        found += _table_fields(text)
    return [(k, v) for k, v in found if any(c.isalnum() for c, _, _ in v)]


def fields_view(text: str) -> View | None:
    """The fields reading of ``text`` as a detection view, or None when it holds no record."""
    found = fields(text)
    if not found:
        return None
    chars: list[str] = []
    origin: list[int] = []
    extents: dict[int, int] = {}
    for key, value in found:
        if key:
            for c, a, _ in key:
                chars.append(c)
                origin.append(a)
            chars += [":", " "]
            origin += [value[0][1]] * 2
        for c, a, b in value:
            chars.append(c)
            origin.append(a)
            if b > a + 1:
                extents[a] = max(extents.get(a, b), b)
        chars.append("\n")
        origin.append(value[-1][2] - 1)
    return View(text, "".join(chars), tuple(origin), extents=extents)
