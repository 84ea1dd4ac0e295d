"""Rules for text people type: a single-line field holds one line of printable characters."""

import re
import unicodedata

LINE_BREAK_IN_NAME = "Use one line, without line breaks, tabs or other control characters."

# Cc is the control characters (line breaks, tabs, NUL, escape); line and paragraph separators act as breaks.
_BREAKING = {"Cc", "Zl", "Zp"}


def clock(value) -> str:
    """A time of day as people read it, the same in pages, emails and the phone's own script: "3:39 pm"."""
    return value.strftime("%-I:%M %p").replace("AM", "am").replace("PM", "pm") if value else ""


def has_control_characters(text: str | None) -> bool:
    return bool(text) and any(unicodedata.category(ch) in _BREAKING for ch in text)


def one_line(text: str) -> str:
    """Text already stored (before this rule, or from elsewhere) made safe for a header or a file name."""
    return re.sub(r"\s+", " ", "".join(" " if unicodedata.category(ch) in _BREAKING else ch for ch in text)).strip()


def file_name_part(text: str, fallback: str = "person") -> str:
    """A name as it can sit in a download's file name: as written (accents and all; the download header
    carries an ASCII spelling too), without what file systems refuse or read as a folder."""
    return re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "-", text).strip(" .-") or fallback


# What a LIKE pattern built with like_literal names as its escape character.
LIKE_ESCAPE = "\\"


def like_literal(text: str) -> str:
    """Typed text for a LIKE ... ESCAPE LIKE_ESCAPE pattern, matching itself: "%" and "_" are not wildcards."""
    return re.sub(r"([\\%_])", r"\\\1", text)


def percent(share: float | None) -> str:
    """A share as a whole percentage ("42%"), or a dash when there is nothing to divide by. A function, not a
    template macro: a district's dashboard shows a hundred or more, and a macro call cost ten times as much."""
    return "—" if share is None else f"{round(share * 100)}%"
