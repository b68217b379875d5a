"""axe-core (vendored in tests/browser/vendor) run inside the page under test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page: Any, *, include: str | None = None) -> list[str]:
    """The serious and critical WCAG 2.x A/AA violations on the page, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    context = include or "document"
    found = page.evaluate(
        """async (selector) => {
          const context = selector === "document" ? document : { include: [selector] };
          const result = await axe.run(context, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            resultTypes: ["violations"],
          });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
        }""",
        context,
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {v['targets']}" for v in found if v["impact"] in BLOCKING
    ]
