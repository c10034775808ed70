"""Progress of a long command, on its standard error."""

from typing import TextIO


class Progress:
    """Work counted as a command does it: ``progress(n)`` for every n more done.

    On a terminal (``enabled``) a bar is redrawn in place,
    ``claims.claim [#########                     ] 1,000/3,000 (33%)``, and left on its
    own line by close(). Off a terminal (a pipe, a cron job) nothing is drawn; with
    ``summary``, close() writes one line, ``claims.claim: 3,000``.
    """

    WIDTH = 30

    def __init__(
        self,
        total: int | None,
        stream: TextIO,
        *,
        enabled: bool,
        label: str = "",
        summary: bool = False,
    ):
        """``total`` None: not known beforehand (the count alone is drawn)."""
        self.total, self.done, self.stream = total, 0, stream
        self.enabled, self.label, self.summary = enabled, label, summary

    def __call__(self, count: int) -> None:
        self.done += count
        if self.enabled:
            self._draw()

    def close(self) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")
        elif self.summary:
            self.stream.write(f"{self.label}: {self.done:,}\n")
        self.stream.flush()

    def _draw(self) -> None:
        if self.total is None:
            self.stream.write(f"\r{self.label}: {self.done:,}")
            self.stream.flush()
            return
        share = self.done / self.total if self.total else 1
        bar = "#" * int(share * self.WIDTH)
        self.stream.write(
            f"\r{self.label} [{bar:<{self.WIDTH}}] {self.done:,}/{self.total:,} ({share:.0%})"
        )
        self.stream.flush()
