"""A plain-text progress bar for long imports, on one line of a terminal."""

from __future__ import annotations

WIDTH = 30


def _plain(text: str) -> str:
    return text


class ProgressBar:
    """Called with (lines read, lines in the file); redraws only when the
    percentage changes. Writes to a command's OutputWrapper, unstyled (its
    stderr would colour it as an error)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = min(100, done * 100 // max(total, 1))
        if percent == self.shown:
            return
        self.shown = percent
        filled = WIDTH * percent // 100
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {percent:3d}% ({done}/{total} lines)",
            style_func=_plain,
            ending="",
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.shown >= 0:
            self.stream.write("", style_func=_plain)
