"""Regenerates `memveil/edge/recognizers/pinyin_readings.py`, the toneless pinyin readings
of the 6,763 GB2312 characters, from pypinyin (MIT). The user-name recognizer uses them to
find a Chinese user's name written in Latin letters, as passports, visa forms and English
e-mails write it ("HUANG SIQI" for 黄思琪). Run with the `train` extra installed:

    python -m memveil.models.pinyin_readings

The edge never imports pypinyin: the table is written out as a module and committed.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from pathlib import Path


def gb2312_characters() -> list[str]:
    """The GB2312 hanzi (levels 1 and 2): every character a mainland identity card can print
    save rare ones, which is what names are written with."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def readings() -> dict[str, list[str]]:
    """Reading -> characters that can be read so (a character with several readings, such
    as 曾 zeng/ceng, is listed under each). "ü" is written "v" as in the input method."""
    from pypinyin import Style, pinyin

    table: dict[str, list[str]] = defaultdict(list)
    for char in gb2312_characters():
        for reading in pinyin(char, style=Style.NORMAL, heteronym=True, v_to_u=False)[0]:
            if reading.isascii() and reading.isalpha():
                table[reading].append(char)
    return dict(sorted(table.items()))


def render(table: dict[str, list[str]]) -> str:
    import pypinyin

    lines = [f"    {reading} {''.join(chars)}" for reading, chars in table.items()]
    return (
        '"""Toneless pinyin readings of the GB2312 characters, for `recognizers.people`; generated\n'
        "by `memveil.models.pinyin_readings` from pypinyin " + pypinyin.__version__ + " (MIT). One line per\n"
        'reading, "ü" written "v". Do not edit by hand.\n'
        '"""\n\n'
        'READINGS = """\n' + "\n".join(lines) + '\n"""\n'
    )


def main() -> None:
    target = Path(inspect.getfile(main)).resolve().parents[1] / "edge" / "recognizers" / "pinyin_readings.py"
    table = readings()
    target.write_text(render(table), encoding="utf-8")
    print(f"wrote {len(table)} readings of {sum(map(len, table.values()))} characters to {target}")


if __name__ == "__main__":
    main()
