"""The descriptive-language nudge: finds judgmental words in note text. It never blocks saving."""

import json
import re
from functools import lru_cache
from pathlib import Path

from flask import current_app

DEFAULT_FILE = Path(__file__).with_name("judgmental_language.json")


@lru_cache(maxsize=8)
def _load(path: str) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    default = data.get("default_suggestion", "")
    phrases = [
        {"phrase": p["phrase"].lower(), "suggestion": p.get("suggestion") or default}
        for p in data["phrases"]
        if p.get("phrase", "").strip()
    ]
    # Longer phrases first, so "great job" is reported rather than "great".
    phrases.sort(key=lambda p: -len(p["phrase"]))
    return {"phrases": phrases}


def word_list() -> dict:
    return _load(current_app.config.get("LANGUAGE_FILE") or str(DEFAULT_FILE))


def find_judgments(text: str) -> list[dict]:
    """Each flagged phrase once, in the order it first appears: {'phrase', 'suggestion', 'start'}."""
    found, covered = [], []
    for entry in word_list()["phrases"]:
        pattern = r"(?<![\w'])" + re.escape(entry["phrase"]).replace(r"\ ", r"\s+") + r"(?![\w'])"
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            if any(start <= match.start() < end for start, end in covered):
                continue
            covered.append((match.start(), match.end()))
            found.append({"phrase": match.group(0), "suggestion": entry["suggestion"], "start": match.start()})
            break
    return sorted(found, key=lambda f: f["start"])
