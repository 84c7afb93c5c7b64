"""The one output format every benchmark speaks (DESIGN.md, "Benchmarks speak one format"):

FIGURE <name> <value> <unit> baseline=<value> ratio=<value>
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None

    def line(self) -> str:
        text = f"FIGURE {self.name} {self.value:.2f} {self.unit}"
        if self.baseline:
            text += f" baseline={self.baseline:.2f} ratio={self.value / self.baseline:.2f}"
        elif self.baseline is not None:
            text += f" baseline={self.baseline:.2f}"
        return text
