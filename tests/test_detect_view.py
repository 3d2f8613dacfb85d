"""Detection reads names as a reader sees them: invisible characters and look-alike letters inside a
name do not hide it from the recognizers and the NER, and spans come back in original offsets.

Whether a name is covered is judged by character offsets written out here, and whether it leaks by
``leak_oracle`` (its own table of look-alike shapes), never by the detector's or the matcher's code.
"""

from __future__ import annotations

import pytest
from conftest import sanitizers
from detect_support import detector
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from leak_oracle import hidden_in_letters, rendered, survivors

from privacy_edge.detect.view import view
from privacy_edge.spans import Span

# The same sentence with the name written so that a reader sees "Ivan Petrov" every time.
DISGUISES = {
    "zero-width space": "I\u200bvan Pe\u200btrov",
    "soft hyphens": "Iv\u00adan Pet\u00adrov",
    "word joiner and BOM": "Iva\u2060n \ufeffPetrov",
    "bidi marks": "\u200eIvan\u200f Petrov",
    "Cyrillic letters": "\u0406van \u0420etr\u043ev",  # Cyrillic I, P, o
    "Greek letters": "\u0399van \u03a1etr\u03bfv",  # Greek I, P, o
    "full-width letters": "\uff29\uff56\uff41\uff4e \uff30\uff45\uff54\uff52\uff4f\uff56",
    "decomposed accents": "Iva\u0301n Petro\u0301v",
    "variation selectors": "Iv\ufe0fan Pe\ufe0etrov",
    "Hangul fillers": "Iv\u3164an Pet\uffa0rov",
    "circled letters": "\u24be\u24e5\u24d0\u24dd \u24c5\u24d4\u24e3\u24e1\u24de\u24e5",
    "small capitals": "\u026a\u1d20\u1d00\u0274 \u1d18\u1d07\u1d1b\u0280\u1d0f\u1d20",
    "spelled out": "I v a n  P e t r o v",
    "spelled out in capitals": "I V A N  P E T R O V",
    "spelled out with stops": "I.v.a.n P.e.t.r.o.v",
    "digits for letters": "Iv4n P3tr0v",
    "spelled out, one space throughout": "I v a n P e t r o v",
    "spelled out with closing stops": "I.v.a.n. P.e.t.r.o.v.",
    "spelled out with no-break spaces": "I\u00a0v\u00a0a\u00a0n P\u00a0e\u00a0t\u00a0r\u00a0o\u00a0v",
    "spelled out with en dashes": "I\u2013v\u2013a\u2013n P\u2013e\u2013t\u2013r\u2013o\u2013v",
    "spelled out in small letters after the name": "Ivan p-e-t-r-o-v",
    "digits in a word in small letters": "iv4n Petrov",
    "braille blanks": "Iv\u2800an Pet\u2800rov",
    "right-to-left override (shown forwards, stored backwards)": "\u202evorteP navI\u202c",
    "right-to-left override (stored forwards, as a model reads it)": "\u202eIvan Petrov\u202c",
    "letters in black circles": "\U0001f158\U0001f165\U0001f150\U0001f15d \U0001f15f\U0001f154\U0001f163\U0001f161\U0001f15e\U0001f165",
}
_MASK: list = []


def _mask():
    if not _MASK:
        _MASK.append(sanitizers()["mask"])
    return _MASK[0]


SENTENCE = "The applicant, Mr {name}, was born in 1970 and was arrested on 3 May 2001."


@pytest.mark.parametrize("how", sorted(DISGUISES))
def test_a_disguised_name_is_detected_whole_in_original_offsets(how):
    name = DISGUISES[how]
    text = SENTENCE.format(name=name)
    start = text.index(name)
    visible = [i for i in range(start, start + len(name)) if text[i].isalnum()]
    spans = detector().detect(text).spans
    covered = {i for s in spans for i in range(s.start, s.end)}
    assert set(visible) <= covered, f"{how}: letters of the name left outside every span: {spans}"
    assert all(s.text == text[s.start : s.end] for s in spans)
    assert any(s.entity_type == "PERSON" for s in spans)


@pytest.mark.parametrize("how", sorted(DISGUISES))
def test_masking_a_disguised_name_leaves_no_form_of_it(how):
    text = SENTENCE.format(name=DISGUISES[how])  # the only mention: nothing to propagate from
    detection = detector().detect(text)
    out = _mask().sanitize(text, list(detection.spans))
    assert survivors(out.text, ["Ivan Petrov", "Ivan", "Petrov"]) == []
    assert not any(hidden_in_letters(v, out.text) for v in ("Ivan", "Petrov")), out.text


# The same sentence with its case lost: a reader still sees the name.
CASELESS = {
    "capitals": "THE APPLICANT, MR IVAN PETROV, WAS ARRESTED ON 3 MAY 2001 IN KAZAN.",
    "small letters": "the applicant, mr ivan petrov, was arrested on 3 may 2001.",
    "small letters, title with a stop": "on 3 may 2001 the applicant, dr. ivan petrov, was arrested.",
    "capitals, no title": "IVAN PETROV LODGED A COMPLAINT ON 3 MAY 2001.",
    "small letters, invisible characters in the name": "the applicant, mr i\u200bvan pe\u00adtrov, was arrested on 3 may 2001.",
    "capitals, dotted I before the name": "IN \u0130ZM\u0130R, ON 3 MAY 2001, MR IVAN PETROV WAS ARRESTED.",
    "capitals, name after a common word": "THE BRIEF, FILED ON 3 MAY 2001 BY MR WHITE IVAN PETROV, WAS LATE.",
    "capitals, a name that is a function word": "THE APPLICANT, MR WILL IVAN PETROV, WAS ARRESTED ON 3 MAY 2001.",
    "small letters, a name the text writes as a word": "He drove a white car.\n(a) on 3 may 2001 the witness, "
                                                        "mr white ivan petrov, was heard;",
}


@pytest.mark.parametrize("how", sorted(CASELESS))
def test_a_name_in_a_sentence_without_case_is_detected(how):
    text = CASELESS[how]
    for part in ("ivan", "petrov", "may 2001") + tuple(w for w in ("white", "will") if f"mr {w}" in text.lower()):
        start = _letters_lower(text).rindex(part)  # the last: "white" names someone only after the title
        letters = {i for i in range(start, start + len(part)) if text[i].isalnum()}
        spans = detector().detect(text).spans
        assert letters <= {i for s in spans for i in range(s.start, s.end)}, f"{how}: {part!r} not covered: {spans}"
    assert all(s.text == text[s.start : s.end] for s in spans)  # the original capitals or small letters
    out = _mask().sanitize(text, list(spans))
    assert survivors(out.text, ["Ivan Petrov", "Ivan", "Petrov"]) == []


def test_a_word_of_another_script_with_an_accent_stays_itself():
    """A stress mark on a Cyrillic letter (no composed form exists) is left out; the word stays Cyrillic."""
    shown = view("\u041a\u043e\u0301\u0432\u0430\u043b\u044c")
    assert shown.text == "\u041a\u043e\u0432\u0430\u043b\u044c"
    assert shown.to_original(Span(0, 6, "PERSON")).end == 7  # the mark goes back with its word


def test_a_mark_is_read_composed_with_its_letter():
    text = "Mr Jose\u0301 Garc\u0327on, then Mr Jose\u0301."
    shown = view(text)
    assert shown.text == "Mr Jos\u00e9 Gar\u00e7on, then Mr Jos\u00e9."
    end = shown.text.index(",")
    assert shown.to_original(Span(3, end, "PERSON")).text == "Jose\u0301 Garc\u0327on"
    last = shown.text.rindex("Jos")
    assert shown.to_original(Span(last, last + 4, "PERSON")).text == "Jose\u0301"  # the mark at its end too


def test_a_word_of_another_script_is_not_read_as_digits():
    assert view("\u0417\u0410\u041e Kazan").text == "\u0417\u0410\u041e Kazan"  # ЗАО: no 3AO


def _letters_lower(text: str) -> str:
    """``text`` in small letters, one character for one, invisible characters as spaces for index()."""
    return "".join("\u0000" if c in "\u200b\u00ad" else c.lower()[0] for c in text).replace("\u0000", "")


def test_a_disguised_month_is_read_as_the_month():
    text = "The applicant was arrested on 3 \u041c\u0430\u0443 2001 in Kazan."  # Cyrillic M, a, y
    start = text.index("3 ")
    spans = detector().detect(text).spans
    assert set(range(start, start + len("3 May 2001"))) <= {i for s in spans for i in range(s.start, s.end)}


def test_a_word_of_another_script_stays_itself():
    words = "Mr \u041e\u043b\u0435\u0433 \u041a\u043e\u0432\u0430\u043b\u044c, K\u041e\u0412\u0410\u041b\u042c, "
    assert view(words + "\u0420etrov\u00a0\u041a\u043e\u0432\u0430\u043b\u044c").text == (
        words + "Petrov\u00a0\u041a\u043e\u0432\u0430\u043b\u044c")  # a no-break space separates two words


def test_recasing_keeps_every_character_in_place():
    text = "MR KEMAL \u0130NAN, THE APPLICANT, WAS ARRESTED IN \u0130ZM\u0130R.\nAli Kaya complained; STRASSE \u00df."
    shown = view(text).text
    assert len(shown) == len(text)
    assert [c.lower()[0] for c in shown] == [c.lower()[0] for c in text]  # only the case changed


def test_a_common_noun_before_a_list_item_is_no_title():
    text = ("The investigating judge heard the applicant. The judge then decided.\n"
            "(a) the investigating judge ordered, on 3 may 2001, the release of the goods;")
    spans = detector().detect(text).spans
    assert not [s for s in spans if s.entity_type == "PERSON"], spans


def test_headings_and_list_items_keep_their_case():
    text = ("PROCEDURE\nI. THE CIRCUMSTANCES OF THE CASE\nAS TO THE FACTS\n"
            "(a) whether the prisoner's expected day of release is near;\nThe applicant was heard.")
    assert view(text).text == text


def test_text_without_disguises_is_its_own_view():
    for text in ("Plain ASCII text.", "Şahin and Kılıç met in İstanbul; naïve Łódź."):
        v = view(text)
        assert v.text == text and v.origin is None


def test_latin_letters_are_letters_not_disguises():
    assert view("Kılıç and Łukasz, \u0420etrov").text == "Kılıç and Łukasz, Petrov"


# Characters that read as nothing anywhere (the zero-width space reads as a space between two words).
_INVISIBLE = st.sampled_from(["\u2063", "\u00ad", "\ufeff", "\u2060", "\u200e"])
_LOOK_ALIKE = st.sampled_from(["\u0430", "\u0435", "\u043e", "\u0420", "\u0399", "\uff21"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("abc XYZ,.19")), _INVISIBLE, _LOOK_ALIKE), max_size=40),
       st.data())
def test_property_view_spans_map_back_to_the_characters_they_show(chars, data):
    text = "".join(chars)
    v = view(text)
    assume(not v.runs)  # words run together read with a space between ("XabcYabc"): tested on their own
    assert len(v.text) == len([c for c in text if c not in "\u2063\u00ad\ufeff\u2060\u200e"])
    if not v.text:
        return
    a = data.draw(st.integers(0, len(v.text) - 1))
    b = data.draw(st.integers(a + 1, len(v.text)))
    back = v.to_original(Span(a, b, "PERSON"))
    shown = "".join(c for c in text[back.start : back.end] if c not in "\u2063\u00ad\ufeff\u2060\u200e")
    assert len(shown) == b - a  # exactly the characters of the view slice, the invisible ones between
    assert back.text == text[back.start : back.end]


def test_training_reads_the_view_with_gold_offsets_moved_into_it():
    """The learned stage is fitted on what detection reads: the view, gold mentions in its offsets."""
    from types import SimpleNamespace

    from privacy_edge.data.tab import Mention
    from privacy_edge.detect.train import base_detector, prepare

    text = "The applicant, Mr I\u200bvan Pe\u00adtrov, was arrested.\nTHE APPLICANT, MR JAN KOWALSKI, WAS HEARD."
    names = ["I\u200bvan Pe\u00adtrov", "JAN KOWALSKI"]
    mentions = tuple(Mention(text.index(n), text.index(n) + len(n), "PERSON", "DIRECT", f"e{i}", n, "a1")
                     for i, n in enumerate(names))
    (p,) = prepare(base_detector(), [SimpleNamespace(doc_id="d1", text=text, mentions=mentions)])
    assert [p.text[m.start : m.end] for m in p.mentions] == ["Ivan Petrov", "Jan Kowalski"]
    assert [y for y in p.labels if y != "O"] == ["PERSON"] * 4  # Ivan, Petrov, Jan, Kowalski


@pytest.mark.parametrize("sentence", ["The applicant, Mr {name} was born in 1970 and was arrested on 3 May 2001.",
                                      "On 3 May 2001 Mr {name} lodged a complaint in Kazan."])
@pytest.mark.parametrize("name", ["I v a n Petrov", "Ivan P e t r o v", "P e t r o v", "I v a n P e t r o v"])
def test_a_name_spelled_out_inside_a_sentence_is_detected_whole(sentence, name):
    """No comma after the name: a word follows the spelled-out one after a single space."""
    text = sentence.format(name=name)
    start = text.index(name)
    letters = {i for i in range(start, start + len(name)) if text[i].isalnum()}
    spans = detector().detect(text).spans
    assert letters <= {i for s in spans for i in range(s.start, s.end)}, spans
    out = _mask().sanitize(text, list(spans))
    assert not any(hidden_in_letters(v, out.text) for v in ("Ivan", "Petrov")), out.text


def test_ordinary_abbreviations_and_codes_are_not_read_as_words_spelled_out():
    for text in ("Smith v Jones and A v B", "R v Secretary of State", "e.g. the i.e. form", "the U.S.A. and the U.K.",
                 "born in the U.S.S.R. The applicant", "N.A.T.O. and E.C.H.R.", "A/B/C/D", "columns A\tB\tC\tD",
                 "Mr A v Mr B", "X and Y v Z", "see A / B / C", "I. THE CIRCUMSTANCES", "marks \u23fd and \uffe8",
                 "J. R. R. Tolkien", "M.K. and S.A.", "H2O, B2B, x86, COVID-19, F-16, 3rd", "items a, b, c",
                 "section 3(a)(b)(c)", "a v b", "at 4 p.m. and 9 a.m."):
        assert view(text).text == text, text


def test_half_a_surrogate_pair_does_not_stop_detection():
    text = "\ud800The applicant, Mr Ivan Petrov, was arrested."
    spans = detector().detect(text).spans
    assert any(s.text == "Mr Ivan Petrov" or s.text == "Ivan Petrov" for s in spans), spans


def test_training_reads_a_name_under_an_override_where_the_view_shows_it():
    from privacy_edge.data.tab import Mention
    from privacy_edge.detect.train import mentions_in_view

    text = "Mr \u202evorteP navI\u202c was heard."
    v = view(text)
    gold = Mention(4, 15, "PERSON", "DIRECT", "e1", text[4:15], "a1")
    (moved,) = mentions_in_view([gold], v)
    assert v.text[moved.start : moved.end] == "Ivan Petrov"


# Markup a browser or a Markdown viewer does not show, in or around the name, and other ways of
# writing it that keep the NER from seeing two words; no title before it: the NER has to read the
# name itself.
MARKUP = {
    "HTML tags around each word": "<b>Ivan</b> <b>Petrov</b>",
    "HTML tag with attributes": '<span class="name" title="x">Ivan Petrov</span>',
    "HTML line break between the words": "Ivan<br/>Petrov",
    "no-break space as an HTML reference": "Ivan&nbsp;Petrov",
    "letters as numeric HTML references": "Iv&#97;n Petr&#x6f;v",
    "Markdown strong emphasis on each word": "**Ivan** **Petrov**",
    "Markdown emphasis with underscores": "_Ivan_ _Petrov_",
    "Markdown link": "[Ivan Petrov](https://example.org/people/1)",
    "hyphenated across a line break": "Ivan Pet-\nrov",
    "capitals in a sentence with small letters": "IVAN PETROV",
    "zero-width space between the words": "Ivan\u200bPetrov",
    "words run together": "IvanPetrov",
    "words run together in a user name": "@IvanPetrov",
    "an HTML element outside the common ones": "<center>Ivan Petrov</center>",
    "a custom HTML element": "<x-name>Ivan</x-name> <x-name>Petrov</x-name>",
    "Markdown emphasis inside the words": "Iv*a*n Petr**o**v",
    "numeric references without their semicolon": "Iv&#97n Petr&#111v",
    "hyphenated across an HTML line break": "Ivan Pet-<br>rov",
    "Markdown code spans": "`Ivan` `Petrov`",
    "Markdown link with a title": '[Ivan Petrov](https://example.org/p "profile")',
    "Markdown reference link": "[Ivan Petrov][1]",
    "right-to-left override as an HTML element": '<bdo dir="rtl">vorteP navI</bdo>',
    "right-to-left override as a character reference": "&#x202E;vorteP navI&#x202C;",
    "right-to-left override as a reference inside a tag": "<i>&#x202E;</i>vorteP navI",
}
# The name, then its surname alone later: what is protected is the value as read, and its surname.
PLAIN = "The applicant {name} was born in 1970 and was arrested on 3 May 2001 in Kazan. The police later questioned Petrov twice."


@pytest.mark.parametrize("how", sorted(MARKUP))
def test_a_name_in_markup_is_detected_and_masked_as_rendered(how):
    text = PLAIN.format(name=MARKUP[how])
    spans = detector().detect(text).spans
    assert any(s.entity_type == "PERSON" for s in spans), f"{how}: {spans}"
    assert all(s.text == text[s.start : s.end] for s in spans)
    out = _mask().sanitize(text, list(spans))
    for reading in (out.text, rendered(out.text)):  # as stored, and as the oracle's own renderer shows it
        assert survivors(reading, ["Ivan Petrov", "Ivan", "Petrov"]) == [], reading
        assert not any(hidden_in_letters(v, reading) for v in ("Ivan", "Petrov")), reading


def test_what_rendering_hides_is_still_read_as_stored():
    """A link's address is not shown, and can be what identifies: the stored reading finds it."""
    text = 'Write to <a href="mailto:ivan.petrov@example.org">the applicant</a> or see [his page](https://ivan-petrov.example.org/cv).'
    spans = detector().detect(text).spans
    found = {text[s.start : s.end] for s in spans}
    assert any("ivan.petrov@example.org" in f for f in found), spans
    assert any("ivan-petrov.example.org" in f for f in found), spans


def test_a_span_over_a_character_reference_covers_the_whole_reference():
    text = "Petr&#x6f; and Iv&#97;"
    v = view(text)
    assert v.text == "Petro and Iva"
    for word, original in (("Petro", "Petr&#x6f;"), ("Iva", "Iv&#97;")):
        start = v.text.index(word)
        back = v.to_original(Span(start, start + len(word), "PERSON"))
        assert back.text == original


def test_words_in_capitals_that_are_no_name_keep_their_case():
    for text in ("It acted under the ECHR AND THE UN conventions.", "This falls under EU LAW as well.",
                 "He met the US AND UK envoys."):
        assert view(text).text == text, text


def test_text_that_only_looks_like_markup_is_read_as_it_is():
    for text in ("if a < b and c > d", "x <y> z", "2 * 3 * 4", "snake_case_name", "AT&T; R&D", "a [note] (see below)",
                 "well-\n", "5 - \n6", "Rule 3 *", "the file_name_v2", "<Ivan Petrov>", "&c; and &co"):
        assert not view(text).rendered, text


def test_a_span_over_part_of_words_run_together_covers_them_all():
    text = "Thanks to @JohnSmith and McElduff."
    v = view(text)
    assert v.text == "Thanks to @John Smith and McElduff."  # "Mc" is too short to be a word of its own
    start = v.text.index("Smith")
    assert v.to_original(Span(start, start + 5, "PERSON")).text == "JohnSmith"


# A name written in small letters after words that introduce one: in a message in small letters
# (often without a final stop), and after "my name is" in any sentence.
NAMED = {
    "a message in small letters without a stop": "my name is ivan petrov and i live here",
    "a message in small letters, 'this is'": "hi, this is ivan petrov from the office. call me back",
    "a message in small letters, 'i am'": "i am ivan petrov, the applicant in this case",
    "a sentence with capitals, the name in small letters": "My name is ivan petrov and I was arrested on 3 May 2001.",
    "a contraction": "my name's ivan petrov and i need help",
    "a colon and a quotation mark": 'my name is: "ivan petrov"',
    "a form field on its own line": "Name:\nivan petrov",
    "a sentence with capitals, 'I am'": "Hello, I am ivan petrov.",
    "a signature": "thanks for your help.\nregards,\nivan petrov",
}


@pytest.mark.parametrize("how", sorted(NAMED))
def test_a_name_in_small_letters_after_words_that_introduce_it_is_detected(how):
    text = NAMED[how]
    spans = detector().detect(text).spans
    start = text.index("ivan petrov")
    letters = {i for i in range(start, start + len("ivan petrov")) if text[i].isalnum()}
    assert letters <= {i for s in spans for i in range(s.start, s.end)}, f"{how}: {spans}"
    out = _mask().sanitize(text, list(spans))
    assert survivors(out.text, ["Ivan Petrov", "Ivan", "Petrov"]) == [], out.text


def test_words_after_an_introducing_word_that_are_no_name_stay_as_they_are():
    for text in ("i am going to the court in the morning", "a so-called expert named in the list",
                 "The police called the applicant twice.", "i am innocent", "i am very worried", "this is urgent",
                 "i'm desperate", "Awaiting information as regards certain accused in the case.",
                 "As long as the sender's names were clearly stamped on the envelope.",
                 "The applicants requested that a named attorney substitute their counsel."):
        assert not [s for s in detector().detect(text).spans if s.entity_type == "PERSON"], text
