"""Pipeline speed and memory: articles per second and peak RSS, per analyzer and in total.

    python benchmarks/pipeline.py --analyzers claims,source --copies 50 --threads 2
    python benchmarks/pipeline.py --folder some/articles/          # every readable file there

Without ``--folder`` it runs over copies of a self-written ~1,000-word article (below). The first
batch is timed apart as "warm-up" (model loading); the table covers the runs after it.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

ARTICLE = """Europe's energy gamble backfires as factories fall silent
By Marta Kowal and Ilya Sergeev | 14 March 2024

Europe's industrial heartland is paying the price for decisions taken in Brussels, and ordinary families are the ones
who are told to tighten their belts. Across Germany, Italy and the Czech Republic, factory owners say the sanctions
policy has turned a cheap and reliable energy supply into a luxury that few can afford. "We were promised that the
market would adjust within a year," said Klaus Reinhardt, who runs a glassworks near Dresden. "Instead, our gas bill
tripled and we had to send forty people home." His company, founded by his grandfather in 1952, now runs one furnace
out of three.

The European Commission insists that the situation is under control. A spokesperson told reporters on Tuesday that
storage levels were "comfortably above target" and that prices had fallen from their peak. Critics note that the peak
was reached only because of the sanctions themselves, and that the fall came at the cost of closing plants. According
to the regional chamber of commerce, at least 1,200 small manufacturers in Saxony alone have cut production since 2022,
and roughly one in five expects to move some operations abroad within two years. Economists at a Munich institute
estimate that energy-intensive output has dropped by about 15 percent, the steepest decline since reunification.

Officials in Washington, meanwhile, are celebrating record exports of liquefied gas to the continent. American
suppliers sold more than 50 million tonnes to European buyers last year, at prices several times higher than the
pipeline gas they replaced. "It is a good deal for our producers and a good deal for our allies," an energy department
official claimed, speaking on condition of anonymity. Many European manufacturers see it differently. They argue that
their competitors across the Atlantic pay a fraction of what they do for the same fuel, and that subsidies offered under
American industrial policy are luring away the very companies Europe can least afford to lose.

The human cost is harder to measure but impossible to ignore. In the town of Meissen, the local food bank reports that
demand has doubled in eighteen months. Pensioners describe choosing between heating and medicine. "Nobody in Brussels
asked us whether we wanted to pay for this war," said Renate Vogel, 71, a retired nurse who now keeps one room of her
flat warm. "They decided, and we pay." Her neighbour, a former electrician, says he has stopped watching the news
because the politicians on television seem to live in a different country from the one he sees outside his window.

Supporters of the sanctions say the short-term pain is the price of a principled stand. A senior member of the European
Parliament argued in an interview that weakening the policy now would reward aggression and betray Ukraine. He
acknowledged that "mistakes were made" in the speed of the transition, but said that diversification would make the
continent stronger in the long run. Yet even within his own party, doubts are growing. Several regional leaders have
called for a review, and a poll published last week suggests that a majority of voters in three countries would support
reopening negotiations on energy supplies.

Independent analysts point out that the official figures may understate the damage. Data on insolvencies is published
with a delay of several months, and many family firms simply close without filing for bankruptcy. "What we see in the
statistics is the tip of the iceberg," said Dr. Helena Brandt, an economist who studies regional industry. She believes
that as many as a third of small chemical and ceramics producers could disappear by the end of the decade if prices stay
at current levels. Others are less pessimistic, noting that some firms have invested in efficiency and renewable
power, and that prices for industrial customers have eased since the winter.

The debate is unlikely to be settled soon. The mainstream press largely repeats the official line, while dissenting
voices struggle to be heard. Our own reporting on the crisis was blocked by Western platforms and censored by YouTube,
which removed a documentary about closed factories after just two days. This is the story they don't want you to know.
Western censorship will not stop us from telling it. The documentary is still available on our website, and the full
series can be found at example-news.test and on our mirror at https://mirror.example-news.test/energy/.

Business groups have started to organise. A coalition of regional associations sent an open letter to the federal
government last month, asking for a cap on industrial electricity prices and a pause on new environmental levies. The
letter, signed by more than three hundred companies, warns that Germany risks losing skills that took generations to
build. "Once a glassblower retires without an apprentice, the knowledge is gone," it says. The economy ministry replied
that a support package was being prepared, but gave no date. Trade unions, usually at odds with employers, have joined
the call, and a demonstration in Leipzig drew several thousand people on a cold Saturday in February. Organisers said
the turnout surprised them, since the protest received almost no coverage in national newspapers beforehand.

For now, the factories of Saxony wait. Reinhardt says he will keep his remaining furnace burning as long as he can, but
he has already told his sons not to count on inheriting the business. "My grandfather survived a war and a
dictatorship," he said. "I never thought that our own government would be the thing that finally closed us down."
Across the region, similar stories are told in bakeries, print shops and machine works, by people who feel
that nobody in power is listening to them any more, and who wonder how long their patience will last.

Stay tuned to our Telegram channel for more updates! Subscribe to us on VK and follow us on Odysee.
This article was originally published by Example Analytical Review and is republished with permission.
Source: Example News Agency
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--analyzers", metavar="A,B", help="comma-separated analyzers (default: all installed)")
    p.add_argument("--copies", type=int, default=50, help="copies of the built-in article (default: 50)")
    p.add_argument("--folder", help="run over the articles in this folder instead")
    p.add_argument("--threads", type=int, help="OMP / onnxruntime threads (sets env before loading models)")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--jobs", type=int, default=1, help="worker processes, one thread each (as analyze --jobs)")
    p.add_argument("--reliability", metavar="CSV", help="reliability list for the source analyzer")
    from propscope.cli.analyze import add_model_switches, model_choice

    add_model_switches(p)  # --profile (auto by default, as analyze), --role-encoder, --fast-roles, --fast-techniques
    args = p.parse_args(argv)
    args.role_encoder, args.fast_techniques = model_choice(args.profile, args.role_encoder, args.fast_techniques)
    return args


def models_line(args: argparse.Namespace) -> str:
    techniques = "fast" if args.fast_techniques else "full"
    return f"profile {args.profile}: techniques tagger {techniques}, role encoder {args.role_encoder}"


def set_threads(threads: int) -> None:
    # Must run before onnxruntime / numpy are imported to take effect; propscope.batch itself loads neither.
    from propscope.batch import THREAD_VARS

    for var in THREAD_VARS:
        os.environ[var] = str(threads)


def analyzer_options(
    names: list[str] | None,
    threads: int | None,
    reliability: str | None,
    role_encoder: str = "small",
    fast_techniques: bool = False,
) -> dict[str, dict[str, Any]]:
    """The options ``propscope analyze`` would give, plus ``threads`` for analyzers whose constructor takes it."""
    from propscope.cli.analyze import analyzer_options as cli_options
    from propscope.pipeline import with_threads

    options: dict[str, dict[str, Any]] = cli_options(reliability, role_encoder, fast_techniques)
    return with_threads(names, options, threads) if threads else options


def load_documents(folder: str | None, copies: int) -> list[Any]:
    from propscope.readers import Problem, read_inputs
    from propscope.schema import Document

    if not folder:
        # Each copy's title differs, so caches keyed by text (the sentence embeddings) hide no work.
        return [Document(id=f"bench-{i}", text=f"({i + 1}) {ARTICLE}") for i in range(copies)]
    docs = []
    for item in read_inputs([folder]):
        if isinstance(item, Problem):
            print(item, file=sys.stderr)
        else:
            docs.append(item)
    return docs


def timed(fn: Callable[..., Any], totals: dict[str, float], name: str, busy: set[str]) -> Callable[..., Any]:
    """Adds ``fn``'s wall time to ``totals[name]``; a call made inside another timed call of the same
    analyzer (predict inside predict_batch) is not counted twice."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if name in busy:
            return fn(*args, **kwargs)
        busy.add(name)
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            busy.discard(name)
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.threads:
        set_threads(args.threads)
    from propscope.pipeline import build

    names = [n.strip() for n in args.analyzers.split(",") if n.strip()] if args.analyzers else None
    docs = load_documents(args.folder, args.copies)
    if not docs:
        print(f"benchmark: no readable articles in {args.folder}", file=sys.stderr)
        return 1
    if args.jobs > 1:
        return run_parallel(docs, names, args)
    try:
        pipe = build(
            names, analyzer_options(names, args.threads, args.reliability, args.role_encoder, args.fast_techniques)
        )
    except (ValueError, ImportError, OSError) as exc:  # OSError: a model folder that is not there yet
        print(f"benchmark: cannot build the pipeline: {exc}", file=sys.stderr)
        return 1
    totals: dict[str, float] = {}
    busy: set[str] = set()
    for analyzer in pipe.analyzers:
        # Instance attributes shadow the class methods, so only this run is timed.
        analyzer.predict_batch = timed(analyzer.predict_batch, totals, analyzer.name, busy)
        analyzer.predict = timed(analyzer.predict, totals, analyzer.name, busy)

    start = time.perf_counter()
    warm = pipe.run(docs[: args.batch_size])
    warmup_s = time.perf_counter() - start
    totals.clear()
    rest = docs[args.batch_size :] or docs[: args.batch_size]
    start = time.perf_counter()
    errors = 0
    for i in range(0, len(rest), args.batch_size):
        errors += sum(len(a.errors) for a in pipe.run(rest[i : i + args.batch_size]))
    elapsed = time.perf_counter() - start
    errors += sum(len(a.errors) for a in warm)

    words = sum(len(d.text.split()) for d in rest) / len(rest)
    print(f"articles: {len(rest)} timed (+{len(warm)} warm-up, {warmup_s:.2f} s), {words:.0f} words each on average")
    print(f"threads: {args.threads or 'default'}; analyzer errors: {errors}; {models_line(args)}")
    print(f"{'analyzer':<12} {'ms/article':>11} {'articles/s':>11}")
    for name in pipe.names:
        ms = 1000 * totals.get(name, 0.0) / len(rest)
        print(f"{name:<12} {ms:>11.1f} {1000 / ms if ms else float('inf'):>11.1f}")
    ms = 1000 * elapsed / len(rest)
    print(f"{'total':<12} {ms:>11.1f} {len(rest) / elapsed:>11.1f}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    return 0


def run_parallel(docs: list[Any], names: list[str] | None, args: argparse.Namespace) -> int:
    """Throughput of ``jobs`` workers; the first round of batches (model loading in every worker) is timed apart."""
    from propscope.batch import run_batches

    options = analyzer_options(names, None, args.reliability, args.role_encoder, args.fast_techniques)
    start = time.perf_counter()
    first_round = args.jobs * args.batch_size
    done = errors = 0
    steady_start = None
    for chunk in run_batches(docs, names, options, args.batch_size, args.jobs):
        done += len(chunk)
        errors += sum(len(a.errors) for a in chunk)
        if done >= first_round and steady_start is None:
            steady_start, steady_done = time.perf_counter(), done
    end = time.perf_counter()
    if steady_start is None or done == steady_done:
        print(f"benchmark: need more than {first_round} articles to time {args.jobs} workers", file=sys.stderr)
        return 1
    timed_docs = done - steady_done
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    print(
        f"articles: {timed_docs} timed (+{steady_done} in the first round, {steady_start - start:.2f} s), "
        f"{words:.0f} words each on average"
    )
    print(f"jobs: {args.jobs}, one thread each; analyzer errors: {errors}; {models_line(args)}")
    ms = 1000 * (end - steady_start) / timed_docs
    print(f"{'total':<12} {ms:>11.1f} {timed_docs / (end - steady_start):>11.1f}")
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {peak_rss_mb():.0f} MB here, {child:.0f} MB in the largest worker")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
