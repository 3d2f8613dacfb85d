"""Markup read as rendered: what a browser or a Markdown viewer shows of a text, for detection.

Text pasted from a web page, an e-mail or a chat carries markup that a reader never sees, and that
cuts a name into pieces the NER does not recognize: "<b>Ivan</b> <b>Petrov</b>", "**Ivan** **Petrov**",
"Ivan&nbsp;Petrov", "Iv&#97;n", "[Ivan Petrov](mailto:...)", or a word hyphenated across a line break
("Pet-\\nrov"). The rendered reading leaves out what is not shown:

- HTML tags and comments: nothing for inline tags (``<b>``, ``<span class=...>``), a line break for
  tags that start a new block or line (``<br>``, ``<p>``, ``<li>``, ``<td>``); only names of HTML
  elements and custom ones ("<x-name>") count, so "a <b" or "x < y > z" stay as they are;
  ``<bdo dir="rtl">`` overrides the direction, as U+202E does;
- HTML character references, named or numeric, read as their character ("&#97;" is "a");
- Markdown emphasis and code (``*``, ``**``, ``_``, ``__``, ``~~``, a backtick around text on one
  line; ``*`` also inside a word) and the link syntax around a link's text ("[text](url)",
  "[text](url "title")", "[text][1]" show "text");
- a hyphen at the end of a line between two letters: "Pet-\\nrov" reads "Petrov", "Petrov-\\nSmirnov"
  reads "Petrov-Smirnov".

What the rendering hides can itself be private (an address in ``href="mailto:..."``, a URL), so the
detector reads a text with markup twice, as rendered and as stored, and keeps the spans of both.
"""

from __future__ import annotations

import html
import re

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hgroup", "hr", "html", "iframe", "legend", "li", "main", "menu", "nav", "noscript",
    "ol", "option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "textarea", "tfoot", "th",
    "thead", "title", "tr", "ul"})
INLINE_TAGS = frozenset({
    "a", "abbr", "acronym", "area", "audio", "b", "base", "basefont", "bdi", "bdo", "big", "blink", "button",
    "canvas", "cite", "code", "col", "colgroup", "data", "datalist", "del", "dfn", "em", "embed", "font", "i",
    "img", "input", "ins", "kbd", "label", "link", "map", "mark", "marquee", "meta", "meter", "nobr", "object",
    "optgroup", "output", "param", "picture", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "slot",
    "small", "source", "span", "strike", "strong", "style", "sub", "sup", "svg", "template", "time", "track", "tt",
    "u", "var", "video", "wbr"})
# A tag: the name of an HTML element, or of a custom one (it has a hyphen: "<x-name>"); "<Ivan Petrov>"
# in a mail header is no tag.
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*(?:-[\w-]*)?)(?:\s(?:[^<>\"']|\"[^\"<>]*\"|'[^'<>]*')*)?/?>")
_RTL = re.compile(r"\bdir\s*=\s*[\"']?rtl\b", re.IGNORECASE)
# Character references; a numeric one needs no closing ";" in a browser ("Iv&#97n").
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
# Emphasis and code: a delimiter run opens where no word character or delimiter precedes it and text
# follows, and closes on the same line, at most MAX_EMPHASIS characters on and before any other of
# its character (so each opening is looked at once), before no word character; "*" and "**" also
# inside a word ("Iv*a*n", "Pe**trov**").
MAX_EMPHASIS = 200
_EMPHASIS = tuple(
    re.compile(rf"(?<![\w{c}])({d}{{1,{n}}})(?=\S)[^\n{c}]{{0,{MAX_EMPHASIS}}}?[^\s\\]\1(?![\w{c}])")
    for d, c, n in (("\\*", "*", 3), ("_", "_", 3), ("~", "~", 2), ("`", "`", 1)))  # each kind on its own: nested
_INTRAWORD = re.compile(r"(?<=[^\W_])(\*{1,3})(?=[^\W_])[^\s*]{0,60}?(?<=[^\W_])\1")
# A link's text; its address, with or without a title, or a reference label ("[text][1]").
_LINK = re.compile(r"\[([^\[\]\n]+)\](?:\(\s*[^()\s]*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)|\[[^\[\]\n]*\])")
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-[^\S\n]*(?:\n|<br\s*/?>)[^\S\n]*(?=[^\W\d_])", re.IGNORECASE)
_HINT = re.compile(r"[<&*_~`\[]|-[^\S\n]*\n")  # most texts have none of these: one quick search


def render(text: str) -> tuple[dict[int, str], dict[int, int]]:
    """What rendering changes in ``text``: offset -> the character read there ("" for nothing),
    every offset of a changed construct included (empty for a text without markup); and, for a
    construct read as one character ("&#97;", "<br>"), its start -> its end, so that a span over
    that character covers the whole construct. ``<bdo dir="rtl">`` reads as the right-to-left
    override it is (and ``</bdo>`` as its pop), so that the view shows its text backwards."""
    changes: dict[int, str] = {}
    extents: dict[int, int] = {}
    if not _HINT.search(text):
        return changes, extents

    def hide(start: int, end: int, shown: str = "") -> None:
        changes.update((i, "") for i in range(start, end))
        if shown:
            changes[start] = shown
            extents[start] = end

    at = text.find("<!--")
    while at >= 0:  # comments, by plain search: a regex would rescan the rest for every unclosed one
        end = text.find("-->", at + 4)
        if end < 0:
            break
        hide(at, end + 3)
        at = text.find("<!--", end + 3)
    for m in _TAG.finditer(text) if "<" in text else ():
        if m.start() in changes:
            continue
        name = m.group(1).lower()
        if name == "bdo":
            hide(m.start(), m.end(), "\u202c" if m.group().startswith("</") else "\u202e" if _RTL.search(m.group()) else "")
        elif name in BLOCK_TAGS:
            hide(m.start(), m.end(), "\n")
        elif name in INLINE_TAGS or "-" in name:
            hide(m.start(), m.end())
    for m in _REFERENCE.finditer(text) if "&" in text else ():
        if m.start() not in changes and len(shown := html.unescape(m.group())) == 1 and shown != m.group():
            hide(m.start(), m.end(), shown)
    for sign, rx in (*zip("*_~`", _EMPHASIS), ("*", _INTRAWORD)):
        for m in rx.finditer(text) if sign in text else ():
            width = len(m.group(1))
            hide(m.start(), m.start() + width)
            hide(m.end() - width, m.end())
    for m in _LINK.finditer(text) if "](" in text or "][" in text else ():
        hide(m.start(), m.start() + 1)
        hide(m.end(1), m.end())
    for m in _HYPHENATED.finditer(text) if "-" in text else ():
        if text[m.end()].islower():
            hide(m.start(), m.end())
        else:  # a hyphen of the name itself: only the line break goes
            hide(m.start() + 1, m.end())
    return changes, extents
