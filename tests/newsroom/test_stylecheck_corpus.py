"""The style checker measured on 60 sentences of district news: half press-release Russian, half
plain. A sentence counts as found when the checker gives it at least one «важно» hint — the
hints that hold a post back from the networks. Precision and recall are printed in the test
run's summary and must both reach 0.85."""

from pathlib import Path

from newsroom.stylecheck.grammar import find_hints
from tests.once import once
from tests.summary import report as report_in_summary

pytestmark = once

CORPUS = Path(__file__).parent / "data" / "press_release_sentences.tsv"
BUREAUCRATIC, PLAIN = "канц", "просто"
THRESHOLD = 0.85


def _corpus():
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t")
        rows.append((label, sentence.strip()))
    return rows


def _scores(rows):
    flagged = {sentence: any(h.is_high for h in find_hints(sentence)) for _label, sentence in rows}
    true_pos = sum(flagged[s] for label, s in rows if label == BUREAUCRATIC)
    false_pos = sum(flagged[s] for label, s in rows if label == PLAIN)
    false_neg = sum(not flagged[s] for label, s in rows if label == BUREAUCRATIC)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
    missed = [s for label, s in rows if label == BUREAUCRATIC and not flagged[s]]
    wrongly = [s for label, s in rows if label == PLAIN and flagged[s]]
    return precision, recall, missed, wrongly


def test_the_corpus_is_sixty_sentences_half_and_half():
    rows = _corpus()
    labels = [label for label, _ in rows]
    assert len(rows) >= 60
    assert labels.count(BUREAUCRATIC) == labels.count(PLAIN)
    assert set(labels) == {BUREAUCRATIC, PLAIN}
    assert len({s for _, s in rows}) == len(rows), "a sentence appears twice"


def test_precision_and_recall_on_district_news(pytestconfig):
    rows = _corpus()
    precision, recall, missed, wrongly = _scores(rows)
    report = (
        f"Стилистика: {len(rows)} предложений, точность {precision:.2f}, полнота {recall:.2f}; "
        f"пропущено {len(missed)}, лишних {len(wrongly)}"
    )
    report_in_summary(pytestconfig, report)
    assert precision >= THRESHOLD, (report, wrongly)
    assert recall >= THRESHOLD, (report, missed)


def test_the_measure_can_fail():
    """With the plain half labelled bureaucratic, recall falls to the share the checker flags."""
    relabelled = [(BUREAUCRATIC, sentence) for _, sentence in _corpus()]
    _, recall, missed, _ = _scores(relabelled)
    assert recall < THRESHOLD
    assert len(missed) >= 25
