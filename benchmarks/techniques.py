"""Speed and peak memory of the techniques analyzer (int8 ONNX tagger) on CPU.

    python benchmarks/techniques.py --data ../shared/data --articles 40 --threads 2
Without ``--data`` (or when it is missing) it times synthetic ~900-token articles made from a few sentences.
Reports articles/s, tokens/s and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

from propscope.analyzers.techniques import MODEL_DIR, TechniquesAnalyzer
from propscope.schema import Analysis, Document

SENTENCES = [
    "The minister said on Tuesday that the new budget would be presented to parliament next month.",
    "Critics called the plan a disgraceful betrayal of ordinary families who had trusted the government.",
    "Officials confirmed that talks between the two delegations would continue in Geneva.",
    "Only a fool would believe that these so-called experts care about anything but their own power!",
    "According to the report, exports rose by 3.2 percent in the third quarter.",
    "They are destroying everything our grandparents built, and they will not stop until the nation is on its knees.",
]


def synthetic(n: int, seed: int = 1) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(rng.choice(SENTENCES) for _ in range(3)) for _ in range(14)]
        docs.append(Document(id=f"s{i}", text="\n\n".join(paragraphs), language="en"))
    return docs


def corpus(data: Path, n: int) -> list[Document]:
    from propscope.readers.research import read_semeval2023

    return read_semeval2023(data, "en", "train")[:n]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", type=Path, default=None)
    p.add_argument("--articles", type=int, default=40)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=8, help="documents per predict_batch call")
    p.add_argument("--model", type=Path, default=MODEL_DIR)
    args = p.parse_args()
    use_corpus = args.data is not None and (args.data / "semeval2023-task3").is_dir()
    docs = corpus(args.data, args.articles) if use_corpus else synthetic(args.articles)
    analyzer = TechniquesAnalyzer(args.model, threads=args.threads)
    analyzer.predict(docs[0], Analysis(docs[0]))  # load the session outside the timing
    n_tokens = sum(len(analyzer.tagger.encode(d.text).ids) for d in docs)
    started = time.perf_counter()
    for b in range(0, len(docs), args.batch):
        chunk = docs[b : b + args.batch]
        analyzer.predict_batch(chunk, [Analysis(d) for d in chunk])
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    source = "SemEval-2023 en train" if use_corpus else "synthetic"
    print(
        f"{len(docs)} {source} articles, {n_tokens / len(docs):.0f} tokens each on average, {args.threads} threads: "
        f"{len(docs) / seconds:.2f} articles/s, {n_tokens / seconds:.0f} tokens/s, peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
