"""Markup read as rendered: what a browser or a Markdown viewer shows of a text, for detection.

Text pasted from a web page, an e-mail or a chat carries markup that a reader never sees, and that
cuts a name into pieces the NER does not recognize: "<b>Ivan</b> <b>Petrov</b>", "**Ivan** **Petrov**",
"Ivan&nbsp;Petrov", "Iv&#97;n", "[Ivan Petrov](mailto:...)", or a word hyphenated across a line break
("Pet-\\nrov"). The rendered reading leaves out what is not shown:

- HTML tags and comments: nothing for inline tags (``<b>``, ``<span class=...>``), a line break for
  tags that start a new block or line (``<br>``, ``<p>``, ``<li>``, ``<td>``); only names of HTML
  elements count, so "a <b" or "x < y > z" stay as they are;
- HTML character references, named or numeric, read as their character ("&#97;" is "a");
- Markdown emphasis (``*``, ``**``, ``_``, ``__``, ``~~`` around text on one line) and the link syntax
  around a link's text ("[text](url)" shows "text");
- a hyphen at the end of a line between two letters: "Pet-\\nrov" reads "Petrov", "Petrov-\\nSmirnov"
  reads "Petrov-Smirnov".

What the rendering hides can itself be private (an address in ``href="mailto:..."``, a URL), so the
detector reads a text with markup twice, as rendered and as stored, and keeps the spans of both.
"""

from __future__ import annotations

import html
import re

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"})
_TAG = re.compile(r"<!--.*?-->|</?([A-Za-z][A-Za-z0-9]*)(?:\s(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?/?>", re.DOTALL)
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A delimiter run opens where no word character or delimiter precedes it and text follows, and
# closes, on the same line, before no word character.
_EMPHASIS = re.compile(r"(?<![\w*~])(\*{1,3}|_{1,3}|~~)(?=[^\s*_~])[^\n]*?[^\s*_~\\]\1(?![\w*~])")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\([^()\s]*\)")
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-[^\S\n]*\n[^\S\n]*(?=[^\W\d_])")
_HINT = re.compile(r"[<&*_~\[]|-[^\S\n]*\n")  # most texts have none of these: one quick search


def render(text: str) -> tuple[dict[int, str], dict[int, int]]:
    """What rendering changes in ``text``: offset -> the character read there ("" for nothing),
    every offset of a changed construct included (empty for a text without markup); and, for a
    construct read as one character ("&#97;", "<br>"), its start -> its end, so that a span over
    that character covers the whole construct."""
    changes: dict[int, str] = {}
    extents: dict[int, int] = {}
    if not _HINT.search(text):
        return changes, extents

    def hide(start: int, end: int, shown: str = "") -> None:
        changes.update((i, "") for i in range(start, end))
        if shown:
            changes[start] = shown
            extents[start] = end

    for m in _TAG.finditer(text):
        name = (m.group(1) or "").lower()
        if m.group().startswith("<!--") or name in INLINE_TAGS:
            hide(m.start(), m.end())
        elif name in BLOCK_TAGS:
            hide(m.start(), m.end(), "\n")
    for m in _REFERENCE.finditer(text):
        if m.start() not in changes and len(shown := html.unescape(m.group())) == 1 and shown != m.group():
            hide(m.start(), m.end(), shown)
    for m in _EMPHASIS.finditer(text):
        width = len(m.group(1))
        hide(m.start(), m.start() + width)
        hide(m.end() - width, m.end())
    for m in _LINK.finditer(text):
        hide(m.start(), m.start() + 1)
        hide(m.end(1), m.end())
    for m in _HYPHENATED.finditer(text):
        if text[m.end()].islower():
            hide(m.start(), m.end())
        else:  # a hyphen of the name itself: only the line break goes
            hide(m.start() + 1, m.end())
    return changes, extents
