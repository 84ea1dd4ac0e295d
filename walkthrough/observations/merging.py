"""Merging two devices' edits to the same note text, so neither side's words are lost."""

from diff_match_patch import diff_match_patch

CONFLICT_MARKER = "\n\n[Also written on another device]\n"


def merge_text(*, base: str, mine: str, theirs: str) -> str:
    """Apply the change from `base` to `mine` on top of `theirs` (the text saved since `base`).

    When the changes can't be laid over each other cleanly, both texts are kept, one after the other."""
    if theirs == base or mine == theirs:
        return mine
    if mine == base:
        return theirs
    if not base.strip():
        return f"{theirs.rstrip()}\n{mine.lstrip()}"
    engine = diff_match_patch()
    merged, applied = engine.patch_apply(engine.patch_make(base, mine), theirs)
    if all(applied):
        return merged
    return theirs + CONFLICT_MARKER + mine
