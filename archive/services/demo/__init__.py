"""The demo-data generator: `archive demo --files N --seed S` (issue 2, item 12)."""

from archive.services.demo.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
