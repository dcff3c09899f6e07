"""Writes docs/taxonomy.md from memveil.shared.taxonomy, so the page cannot drift from the data.

Usage: python docs/make_taxonomy.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from memveil.shared.placeholder import format_placeholder
from memveil.shared.taxonomy import STANDARD_TYPES

PAGE = Path(__file__).with_name("taxonomy.md")

_TEMPLATE = """# Privacy levels, types and placeholders

memveil's taxonomy follows the four-level scheme of the MemPrivacy paper (arXiv 2605.09530) so
that its detection can be scored on the same benchmarks. The data lives in
`memveil.shared.taxonomy`; this page is generated from it (`python docs/make_taxonomy.py`).

## Levels

| level | what it covers | default policy |
|---|---|---|
| PL1 | preferences, habits, tastes, passing moods | not private: never replaced |
| PL2 | identifies, locates or tracks a person, alone or combined | replaced on the device |
| PL3 | highly sensitive even when it identifies no one | replaced on the device |
| PL4 | credentials and secrets usable at once | replaced on the device |

A span that fits two levels takes the higher; a type whose level is unknown rounds up to PL3.
The protected levels are a policy: `PrivacyGuard(vault, levels=...)` takes any of PL4 only,
PL3+PL4, or PL2-PL4 (the default).

## Types

Type names are open: a recognizer may emit a more specific name (an alias below, or a new
one). Aliases resolve to a standard type for the default level. Descriptive types are facts
rather than identifiers (a diagnosis, a trip); they are scored by token overlap.

| level | type | placeholder | aliases | descriptive |
|---|---|---|---|---|
{rows}

## Placeholders

A replaced value becomes `<Tag_N>`: the type name with every run of characters other than
letters, digits, hyphens and apostrophes turned into one underscore, and `N` counting the
distinct values of that tag for one user from 1. The level is not written in the token; the
vault keeps it.

- Stable: one value (after Unicode NFKC, case folding and whitespace folding) always maps to
  the same placeholder for a user, on every device sharing the vault.
- Per user: two users both have an `<Email_1>`, for different addresses.
- Every tag parses and restores, hyphens and apostrophes included
  (`<Third-Party_Identifiable_Info_1>`, `<Driver's_License_Number_2>`).
- Look-alikes: text a user typed that looks like a placeholder is sent with one backslash
  added (`<\\Email_1>`) and gets it removed on the way back, so it is never restored to a
  real value. The escape is reversible for any text.
- Unknown placeholders (not in the vault for this user) are left as they are on restore.
"""


def render() -> str:
    rows = "\n".join(
        f"| {t.level.value} | {t.name} | `{format_placeholder(t.name, 1)}` | "
        f"{', '.join(t.aliases) or '—'} | {'yes' if t.descriptive else ''} |"
        for t in sorted(STANDARD_TYPES, key=lambda t: t.level.rank)
    )
    return _TEMPLATE.format(rows=rows)


def main() -> int:
    if "--check" in sys.argv:
        return 0 if PAGE.read_text(encoding="utf-8") == render() else 1
    PAGE.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
