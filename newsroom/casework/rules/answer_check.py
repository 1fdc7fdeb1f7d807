"""The R12 checklist of an official answer, as hints for its author (plain Python, no Django).

Regulations ask for an answer in the network's conversational style, on the substance: measures
taken, stages and terms, or a reasoned refusal citing legal acts, with photo or video proof. The
reasons regional curators most often send answers back are checked here: a formal reply with no
completion date, no evidence, a pile of legal references with no explanation, a contradiction,
and a text too long for the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest comment each network accepts, in characters; the rest get a conservative default.
LENGTH_LIMITS = {"vk": 4096, "ok": 4096, "telegram": 4096, "max": 4000}
DEFAULT_LENGTH_LIMIT = 4000

MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
IN_MONTH = "январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре"
DATE = re.compile(
    rf"\b\d{{1,2}}[./]\d{{1,2}}(?:[./]\d{{2,4}})?\b"
    rf"|\b\d{{1,2}}\s+(?:{MONTHS})\b"
    rf"|\bв\s+(?:{IN_MONTH})\b"
    r"|\bв\s+течение\s+\S+\s+(?:дн|недел|месяц|час)"
    r"|\b(?:до|к)\s+концу\s+(?:недели|месяца|года)"
    r"|\b(?:завтра|сегодня|на этой неделе|на следующей неделе)\b"
    r"|\b(?:20\d\d)\s+год",
    re.IGNORECASE,
)
LEGAL_REFERENCE = re.compile(
    r"\b(?:ст(?:атья|\.|атьи|атьей)|п(?:ункт|\.)|ч(?:асть|\.))\s*\d+|\b\d+-ФЗ\b|№\s*\d+|\bфедеральн\w+ закон\w*",
    re.IGNORECASE,
)
CONTRADICTIONS = [
    (
        re.compile(r"\bвыполнен[оы]?\b|\bустранен[оы]?\b|\bзавершен[оы]?\b", re.I),
        re.compile(r"\bне\s+(?:выполнен|устранен|завершен)", re.I),
    ),
]
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hint:
    code: str
    ok: bool
    message: str


def _words(text: str) -> int:
    return len(WORD.findall(text or ""))


def check_answer(
    *,
    text: str,
    measures_taken: str = "",
    stages_and_terms: str = "",
    legal_basis: str = "",
    attachments: int = 0,
    network: str = "",
    is_repeat: bool = False,
) -> list[Hint]:
    """Every point of the checklist, passed or not, in the order an editor reads them."""
    everything = "\n".join([text, measures_taken, stages_and_terms, legal_basis])
    hints = []

    has_measures = bool(measures_taken.strip()) or bool(
        re.search(
            r"\b(?:сделал|выполнил|провел|провёл|отремонтировал|устранил|установил|вывез|заменил|направил)\w*",
            text,
            re.I,
        )
    )
    hints.append(
        Hint(
            "measures",
            has_measures,
            "Принятые меры названы."
            if has_measures
            else "Назовите принятые меры: что уже сделано.",
        )
    )

    has_date = bool(DATE.search(everything))
    hints.append(
        Hint(
            "terms",
            has_date,
            "Есть сроки решения."
            if has_date
            else "Нет срока: когда вопрос будет решён? Формальный ответ без даты вернут на доработку.",
        )
    )

    has_evidence = attachments > 0
    hints.append(
        Hint(
            "evidence",
            has_evidence,
            "Приложены фото или видео."
            if has_evidence
            else "Приложите фото или видео, подтверждающие меры (если они есть).",
        )
    )

    references = len(LEGAL_REFERENCE.findall(everything))
    explained = references == 0 or _words(legal_basis or text) >= 10 * references
    hints.append(
        Hint(
            "legal",
            explained,
            "Ссылки на акты объяснены." if references else "Ссылок на правовые акты нет.",
        )
        if explained
        else Hint(
            "legal",
            False,
            "Много ссылок на акты и мало объяснений: скажите простыми словами, что они значат для автора.",
        )
    )

    contradiction = any(
        yes.search(everything) and no.search(everything) for yes, no in CONTRADICTIONS
    )
    hints.append(
        Hint(
            "consistent",
            not contradiction,
            "Противоречий не найдено."
            if not contradiction
            else "В ответе сказано и «выполнено», и «не выполнено»: проверьте, нет ли противоречия.",
        )
    )

    limit = LENGTH_LIMITS.get(network, DEFAULT_LENGTH_LIMIT)
    fits = len(text) <= limit
    hints.append(
        Hint(
            "length",
            fits,
            f"Длина {len(text)} из {limit} знаков."
            if fits
            else f"Ответ длиннее {limit} знаков: сеть его не примет, сократите.",
        )
    )

    if is_repeat:
        reports_progress = has_measures or bool(
            re.search(r"\bход\w*\s+решени|\bпринят\w*\s+мер", everything, re.I)
        )
        hints.append(
            Hint(
                "repeat",
                reports_progress,
                "Повторное сообщение: меры и ход решения указаны."
                if reports_progress
                else "Повторное сообщение (R11): ответ должен сообщать о принятых мерах или ходе решения.",
            )
        )
    return hints
