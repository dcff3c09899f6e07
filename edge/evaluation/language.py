"""Which script a text is written in: the CJK test the metric's tokenizer and the per-language
split share, so that "Chinese" means the same thing in both places."""

from __future__ import annotations

from collections.abc import Iterable

#: CJK ideographs (unified, extension A, compatibility) and Japanese kana. One token each.
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"

_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x3040, 0x30FF))


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _RANGES)


def user_language(texts: Iterable[str]) -> str:
    """"zh" when more than half of the letters in `texts` are CJK, else "en".

    Letters are characters with `str.isalpha()` (CJK ideographs included); digits, punctuation
    and spaces are left out so that a Chinese user who types many numbers or e-mail addresses
    still counts as Chinese. A user with no letters at all counts as "en".
    """
    letters = cjk = 0
    for text in texts:
        for char in text:
            if char.isalpha():
                letters += 1
                cjk += is_cjk(char)
    return "zh" if letters and cjk * 2 > letters else "en"
