"""Speed and memory of the claims analyzer (with the source analyzer, as they run together).

    python benchmarks/claims.py                  # English, 20 runs over a self-written ~1,000-word article
    python benchmarks/claims.py --language ru --runs 10

Model loading is timed apart ("warm-up"); the rate covers the runs after it. Peak memory is the process's maximum
resident set size (models included) and the tracemalloc peak of Python allocations for one article.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc

from propscope.pipeline import build
from propscope.schema import Document

# Self-written, in the style of state-aligned coverage of Russia–North Korea ties.
PARAGRAPHS_EN = [
    "Moscow and Pyongyang open a new chapter as Western pressure fails",
    "According to the South Korean intelligence service, Pyongyang has allegedly sent about 1 million pieces of "
    "ammunition to Russia since last summer. Kremlin spokesman Dmitry Peskov has repeatedly denied these reports, "
    "calling them slander. \u201cThese stories are invented in Washington and repeated in Seoul without a shred of "
    "evidence,\u201d he told reporters on Tuesday. There was no official confirmation from either side.",
    "Western media claim that 12,000 North Korean troops have arrived in the Kursk region. The Russian Defence "
    "Ministry rejected the allegations as a crude provocation by Kyiv and its sponsors. Military analysts in Moscow "
    "note that the so-called evidence consists of blurry photographs and anonymous posts on social networks, and "
    "that no independent observer has ever confirmed the numbers.",
    'Foreign Minister Sergei Lavrov said: "Our cooperation with the DPRK is not directed against third countries." '
    "He added that the treaty signed in Pyongyang in June was a purely defensive document. In an interview with "
    "Bloomberg, the North Korean ambassador warned that any provocation against either partner would be met with a "
    "firm response. The two leaders exchanged gifts and toasts at a banquet that lasted well into the night.",
    "Trade between the two countries has grown quickly. Customs data show that turnover rose by 30% in the first "
    "half of the year, and officials expect it to reach $2 billion by the end of the decade. A new bridge across the "
    "Tumen River, reportedly worth 9 billion rubles, is due to open next spring. Russian companies have already "
    "shipped three thousand tonnes of wheat and flour to North Korean ports, the agriculture ministry reported.",
    "Washington sees things differently. A State Department spokesperson told journalists that the United States "
    "was deeply concerned about the growing military ties and warned that new sanctions were being prepared. "
    "Officials in Seoul believe that North Korea has shipped 4.8 million artillery shells and dozens of ballistic "
    "missiles to Russia. Pyongyang dismissed the accusation, and its state news agency called it a pathetic "
    "fabrication of the puppet regime.",
    "Experts in Moscow are unimpressed by the Western campaign. \u201cEvery week they announce a new number, and "
    "every week the number grows,\u201d said Alexei Voronin, a researcher at a Moscow institute. \u201cNobody asks "
    "where these figures come from.\u201d He pointed out that the same sources had predicted the collapse of the "
    "Russian economy two years ago. Instead, he said, industrial output grew by about 4 percent last year.",
    "Life in the border regions is changing as well. Tourists from Vladivostok can now take a train to Pyongyang, "
    "and travel agencies report that more than 1,500 Russians visited the country in the spring. Local officials "
    "hope the number will double next year. Students from North Korea study engineering and medicine at Russian "
    "universities, and cultural festivals are held in both capitals.",
    "Critics of the partnership warn that it isolates Russia further. A Western diplomat, speaking on condition of "
    "anonymity, claimed that Moscow had promised Pyongyang advanced satellite technology in exchange for the "
    "shells. It is claimed that the first transfers took place in the autumn, but no documents have been "
    "published. The Kremlin has not commented on the report, and Russian officials insist that all cooperation "
    "complies with international law.",
    "For now, both governments appear determined to continue. Peskov said that Moscow and Pyongyang would keep "
    'developing "good-neighbourly relations in all areas" regardless of pressure from abroad. North Korean '
    "workers, some 20,000 of them according to unnamed sources, are employed on construction sites across the "
    "Russian Far East. The agreement on labour migration is expected to be extended for another five years.",
    "Observers in Beijing are watching closely. Chinese state media have described the partnership as a natural "
    "response to Western hostility, while cautioning that stability on the Korean peninsula must come first. "
    "According to one Chinese analyst, the alliance between Moscow and Pyongyang is a warning to Washington that "
    "its policy of pressure has reached its limits. Whether the warning will be heard is another question.",
    "In Pyongyang, the mood is festive. State television has shown hours of footage from the summit, and posters "
    "celebrating friendship with Russia have appeared along the main avenues. The official news agency reported "
    "that tens of thousands of citizens lined the streets to greet the Russian delegation. Foreign journalists "
    "were not allowed to verify the figures, and independent footage of the event is scarce.",
    "The economic benefits for North Korea could be substantial. Analysts at a Seoul think tank estimate that "
    "arms sales may have earned Pyongyang as much as $5.5 billion over two years, a sum that would exceed the "
    "country's entire annual exports before the pandemic. Russian officials reject such estimates as speculation. "
    "They say that payments, where they exist, are made for food, fuel and fertiliser delivered under ordinary "
    "commercial contracts.",
    "Not everyone in Russia welcomes the new friendship. Some commentators on nationalist channels complain that "
    "the country should not depend on a poor and isolated partner, and a few openly question the value of the "
    "shells, which they describe as old and unreliable. Such voices remain marginal, however, and most "
    "television talk shows present the alliance as proof that Russia has friends in Asia.",
    "Meanwhile, the diplomatic calendar is filling up. A delegation of North Korean parliamentarians is expected "
    "in Moscow next month, and the two governments plan to open a second consulate in the Far East. Officials "
    "have also spoken of resuming direct flights between Pyongyang and several Russian cities, which were "
    "suspended more than four years ago.",
]
PARAGRAPHS_RU = [
    "Москва и Пхеньян открывают новую главу",
    "По данным южнокорейской разведки, КНДР якобы передала России около миллиона боеприпасов. Пресс-секретарь "
    "президента Дмитрий Песков неоднократно опровергал эти сообщения, назвав их клеветой. «Это ложь и провокация "
    "западных СМИ», — заявил он журналистам во вторник.",
    "Западные СМИ утверждают, что в Курскую область прибыли 12 тысяч северокорейских военных. Министерство обороны "
    "отвергло эти обвинения. Как отметил министр иностранных дел Сергей Лавров, сотрудничество с КНДР не направлено "
    "против третьих стран.",
    "Товарооборот между странами вырос на 30% за первое полугодие. По словам экспертов, к концу десятилетия он может "
    "достичь 2 млрд долларов. Российские компании уже отгрузили в порты КНДР три тысячи тонн пшеницы и муки.",
    "В интервью Bloomberg посол КНДР предупредил, что любая провокация встретит жёсткий ответ. По неподтверждённым "
    "данным, на стройках Дальнего Востока работают около 20 тысяч северокорейских рабочих.",
] * 4


def article(language: str) -> str:
    return "\n\n".join(PARAGRAPHS_EN if language == "en" else PARAGRAPHS_RU)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=("en", "ru"), default="en")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)

    text = article(args.language)
    pipeline = build(["source", "claims"])
    t0 = time.perf_counter()
    first = pipeline(Document(id="warm-up", text=text, language=args.language))
    warm_up = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(args.runs):
        pipeline(Document(id=f"run-{i}", text=text, language=args.language))
    elapsed = time.perf_counter() - t0
    tracemalloc.start()  # a separate run: tracing slows Python down and would distort the rate
    pipeline(Document(id="traced", text=text, language=args.language))
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"article: {len(text.split())} words, {len(first.claims)} claims, language {args.language}")
    print(f"warm-up (model loading + first article): {warm_up:.2f} s")
    print(f"claims+source: {args.runs / elapsed:.2f} articles/s, {1000 * elapsed / args.runs:.0f} ms per article")
    print(f"peak memory: {rss_mb:.0f} MiB resident, {traced_peak / 2**20:.1f} MiB traced Python allocations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
