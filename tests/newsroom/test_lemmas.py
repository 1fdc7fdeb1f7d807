"""Russian word forms for the search (pure): lemmas, query terms, highlighting, typo correction."""

from newsroom.lemmas import correct, highlight, lemma_text, query_terms, vocabulary, word_lemmas


def test_the_forms_of_a_word_share_its_lemma():
    assert word_lemmas("школа") == word_lemmas("школе") == word_lemmas("школы") == {"школа"}
    assert word_lemmas("Ёлка") == word_lemmas("елки")
    assert word_lemmas("2026") == {"2026"} and word_lemmas("RUTUBE") == {"rutube"}


def test_a_word_with_several_readings_keeps_them_all():
    assert {"сталь", "стать"} <= word_lemmas("стали")


def test_lemma_text_lists_each_lemma_once():
    text = lemma_text("Ремонт школы", "В школе новые классы.")
    assert text.split().count("школа") == 1
    assert {"ремонт", "новый", "класс"} <= set(text.split())


def test_highlight_marks_every_form_of_the_query_words():
    terms = query_terms("школа")
    segments = highlight("В школе № 2 и у школы № 5 — ремонт.", terms)
    assert [text for text, hit in segments if hit] == ["школе", "школы"]
    assert "".join(text for text, _hit in segments) == "В школе № 2 и у школы № 5 — ремонт."


def test_a_typo_is_corrected_against_the_titles_words():
    words = vocabulary(["Ремонт школы закончен", "Каток открыт в парке"])
    assert correct("шкоы", words) == "школы"
    assert correct("ремнт", words) == "ремонт"
    assert correct("школы", words) is None  # known: nothing to correct
    assert correct("кот", words) is None  # too short to guess
    assert correct("космодром", words) is None  # nothing close
