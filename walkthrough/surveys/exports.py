"""Results as rows for CSV and XLSX, from the same results the page shows: below five answers, only the
word that they are hidden."""

from collections.abc import Iterator

from ..sheets import decimal, percent
from .results import HIDDEN, SurveyResults

HEADER = ["Question", "Kind", "Answered", "Answer", "Count", percent("Share (%)"), decimal("Average (1-5)")]
SUMMARY_HEADER = ["Survey", "Asked", "Answered", percent("Response rate (%)"), "Answers in these results"]


def rows(results: SurveyResults) -> Iterator[list]:
    if results.hidden:
        yield ["All questions", "", "", HIDDEN, "", "", ""]
        return
    for item in results.questions:
        q = item.question
        if item.hidden:
            yield [q.prompt, q.kind_label, "", HIDDEN, "", "", ""]
            continue
        for option in item.options:
            yield [
                q.prompt,
                q.kind_label,
                item.answered,
                option.label,
                option.count,
                option.percent,
                "" if item.average is None else item.average,
            ]
        for text in item.texts:
            yield [q.prompt, q.kind_label, item.answered, text, "", "", ""]


def sheets(results: SurveyResults) -> list[tuple[str, list, Iterator[list]]]:
    rate = results.rate
    summary = [[results.survey.title, rate.asked, rate.answered, rate.percent, results.shown]]
    return [("Summary", SUMMARY_HEADER, iter(summary)), ("Results", HEADER, rows(results))]
