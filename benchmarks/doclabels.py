"""Speed of the doc-label analyzers (narratives, genre, frames, paragraph techniques) and of their shared embedding.

    python benchmarks/doclabels.py --folder some/articles/ --limit 40
    python benchmarks/doclabels.py --backends use,e5 --copies 10

Times, per article: embedding the text once (per backend), then the four heads reading the cached embedding.
Without ``--folder`` it uses copies of the self-written article of ``benchmarks/pipeline.py`` with a counter appended,
so that the embedding cache never answers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def articles(folder: str | None, limit: int, copies: int) -> list[str]:
    if folder:
        files = sorted(p for p in Path(folder).iterdir() if p.is_file())[:limit]
        return [p.read_text(encoding="utf-8", errors="replace") for p in files]
    from pipeline import ARTICLE

    return [f"{ARTICLE}\nEdition {i}." for i in range(copies)]


def time_embedding(backend: str, texts: list[str], threads: int) -> tuple[float, float]:
    """Wall and CPU seconds per article (CPU time shows the cost when other jobs share the cores)."""
    from propscope.models.embedder import Embedder

    embedder = Embedder(backend, threads=threads)
    embedder.embed("Warm-up sentence. Another one.")
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        embedder.embed(text)
    return (time.perf_counter() - wall) / len(texts), (time.process_time() - cpu) / len(texts)


def time_heads(texts: list[str]) -> float:
    from propscope.pipeline import build
    from propscope.schema import Document

    pipeline = build(["narratives", "genre", "frames", "paragraph_techniques"])
    docs = [Document(str(i), t, language="de") for i, t in enumerate(texts)]
    pipeline.run(docs[:1])
    from propscope.models.embedder import shared_embedder

    shared_embedder().embed_many(texts)  # heads alone: embeddings already cached
    start = time.perf_counter()
    pipeline.run(docs)
    return (time.perf_counter() - start) / len(texts)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--folder", help="a folder of article text files")
    p.add_argument("--limit", type=int, default=40)
    p.add_argument("--copies", type=int, default=20)
    p.add_argument("--backends", default="use", help="comma-separated: use, e5")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    texts = articles(args.folder, args.limit, args.copies)
    chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} articles, {chars:.0f} characters on average, {args.threads} thread(s)")
    for backend in args.backends.split(","):
        wall, cpu = time_embedding(backend, texts, args.threads)
        print(f"embed ({backend}):\t{wall * 1000:.0f} ms/article wall ({1 / wall:.1f}/s)\t{cpu * 1000:.0f} ms CPU")
    per_doc = time_heads(texts)
    print(f"4 heads on cached embeddings:\t{per_doc * 1000:.1f} ms/article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
