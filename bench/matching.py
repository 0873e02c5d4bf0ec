"""Matching figures: thematic quality on the UNESCO profile texts, speed, rounds.

    python bench/matching.py [--only quality|readout|speed|rounds] [--exact] [--corpus FILE]

Every part reads UNESCO's profile text of each city, which is UNESCO's web copy and so is not in
the repository: put the scrape unesco_city_pages_2024-10-01.json (its "Description" of each city
page, keyed by "Link") at bench/corpus/, which git ignores, or name it with --corpus.

- quality: each city's profile text, with the words naming its
  field hidden; its 10 nearest cities by the thematic scorer alone (and by the embeddings
  scorer alone, when its model is installed); precision@10 = the share of same-field
  neighbours, against the chance rate (same-field cities / other cities).
- readout: the full engine's top 10 for five cities, with the explanations.
- speed: top 10 for one subject among the directory's cities and 100,000 synthetic ones
  (real profiles copied with their texts mixed), p50/p99 over 200 subjects, after the index
  is built; index build time and memory (resident set growth).
- rounds: a round over the directory's cities and over 10,000 synthetic ones; time, method,
  total against the upper bound; with --exact, against networkx's exact matching on the
  directory (a minute).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from uccn_sdk.config import MatchingSettings
from uccn_sdk.matching.engine import Matcher
from uccn_sdk.matching.network import Network
from uccn_sdk.models import City
from uccn_sdk.plugins import Plugins

CORPUS = Path(__file__).resolve().parent / "corpus" / "unesco_city_pages_2024-10-01.json"
FIELD_WORDS = re.compile(
    r"(?i)\b(gastronom\w*|culinar\w*|literat\w*|literar\w*|music\w*|film\w*|cinem\w*|"
    r"design\w*|craft\w*|folk art\w*|media arts?|architect\w*)"
)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def directory(plugins: Plugins) -> list[City]:
    return [c for source in plugins.city_sources() for c in source.load()]


def profile_texts(corpus: Path) -> dict[str, str]:
    """Each city's profile text by its id, the last part of its UNESCO page's address."""
    if not corpus.is_file():
        sys.exit(
            f"The profile texts are not at {corpus}. They are UNESCO's web copy, kept out of the "
            "repository: put unesco_city_pages_2024-10-01.json (the scrape of the city pages) "
            f"at {CORPUS}, or pass --corpus FILE."
        )
    pages = json.loads(corpus.read_text(encoding="utf-8"))["0"].values()
    return {
        urlparse(p["Link"]).path.rstrip("/").split("/")[-1]: p["Description"]
        for p in pages
        if p.get("Description")
    }


def with_texts(cities: list[City], texts: dict[str, str], *, hide_field: bool) -> list[City]:
    out = []
    for city in cities:
        text = texts.get(city.id, "")
        if hide_field:
            text = FIELD_WORDS.sub(" ", text)
        out.append(city.model_copy(update={"description": text}))
    return out


def quality(plugins: Plugins, texts: dict[str, str], name: str = "themes") -> None:
    cities = [c for c in with_texts(directory(plugins), texts, hide_field=True) if c.description]
    scorer = plugins.match_scorers()[name]
    network = Network.of(cities)
    index = scorer.index(network)
    fields = np.array([c.field for c in network.cities])
    hits, chance = [], []
    for profile in network.profiles:
        scores = index.score([profile])[0]
        scores[profile.row] = -1
        top = np.argsort(-scores)[:10]
        same = fields == fields[profile.row]
        hits.append(same[top].mean())
        chance.append((same.sum() - 1) / (len(cities) - 1))
    p10, base = float(np.mean(hits)), float(np.mean(chance))
    print(f"quality: {len(cities)} cities with a profile text, field words hidden")
    print(f"  precision@10 of same-field neighbours ({name} alone): {p10:.3f}")
    print(f"  chance rate: {base:.3f}  ({p10 / base:.1f}x chance)")
    by_field: dict[str, list[float]] = {}
    for f, h in zip(fields, hits, strict=True):
        by_field.setdefault(str(f), []).append(float(h))
    for f, values in sorted(by_field.items()):
        print(f"  {f:<16} {np.mean(values):.3f} over {len(values)} cities")


def readout(plugins: Plugins, texts: dict[str, str], names: list[str]) -> None:
    cities = with_texts(directory(plugins), texts, hide_field=False)
    network = Network.of(cities, fields=plugins.fields())
    matcher = Matcher(network, list(plugins.match_scorers()))
    for name in names:
        subject = matcher.network.profiles[matcher.network.rows[name]]
        print(f"\n{subject.label} ({subject.fields[0]}, {subject.country}):")
        for rank, found in enumerate(matcher.match(subject, 10).matches, 1):
            print(f"  {rank:>2}. {found.other.label} {found.score:.2f}: {found.explanation()}")


def synthetic(cities: list[City], texts: dict[str, str], size: int, seed: int = 0) -> list[City]:
    """`size` cities copied from real ones, each with sentences mixed from three profiles."""
    rng = np.random.default_rng(seed)
    sentences = [s for t in texts.values() for s in re.split(r"(?<=[.;])\s*", t) if len(s) > 40]
    out = []
    for i in range(size):
        base = cities[int(rng.integers(len(cities)))]
        picked = rng.choice(len(sentences), 6, replace=False)
        text = " ".join(sentences[j] for j in picked)
        designations = [d.model_copy(update={"year": int(rng.integers(2004, 2026))})
                        for d in base.designations[-1:]]  # fmt: skip
        out.append(base.model_copy(update={
            "id": f"syn-{i}", "name": f"{base.name} {i}", "description": text,
            "designations": designations, "sdgs": sorted(set(rng.integers(1, 18, 3).tolist())),
        }))  # fmt: skip
    return out


def speed(plugins: Plugins, texts: dict[str, str]) -> None:
    real = with_texts(directory(plugins), texts, hide_field=False)
    scorers = list(plugins.match_scorers())
    for cities in (real, synthetic(real, texts, 100_000)):
        before = rss_mib()
        started = time.perf_counter()
        matcher = Matcher(Network.of(cities), scorers)
        built = time.perf_counter() - started
        grown = rss_mib() - before
        rng = np.random.default_rng(1)
        rows = rng.choice(len(cities), 200, replace=False)
        timings = []
        for row in rows:
            subject = matcher.network.profiles[int(row)]
            t = time.perf_counter()
            matcher.match(subject, 10)
            timings.append((time.perf_counter() - t) * 1000)
        timings.sort()
        print(
            f"speed, {len(cities):,} cities: index built in {built:.1f} s, "
            f"+{grown:.0f} MiB resident; "
            f"top 10 p50 {statistics.median(timings):.2f} ms, p99 {timings[197]:.2f} ms "
            "(explanations included)"
        )
        del matcher


def rounds(plugins: Plugins, texts: dict[str, str], exact: bool) -> None:
    from uccn_sdk.matching.rounds import pair_members  # what `uccn rounds new` runs

    real = with_texts(directory(plugins), texts, hide_field=False)
    scorers = list(plugins.match_scorers())
    for cities in (real, synthetic(real, texts, 10_000)):
        matcher = Matcher(Network.of(cities, settings=MatchingSettings()), scorers)
        members = np.arange(len(cities))
        started = time.perf_counter()
        pairing = pair_members(matcher, members, cross_field=False)
        took = time.perf_counter() - started
        print(
            f"round, {len(cities):,} cities: {took:.2f} s, {len(pairing.groups)} groups, "
            f"method {pairing.method}, total {pairing.total:.2f}, bound {pairing.bound:.2f} "
            f"({pairing.total / pairing.bound:.4f} of the bound)"
        )
        if exact and len(cities) <= 1_000:
            import networkx

            total, _ = matcher.combine(matcher.network.profiles)
            w = (total + total.T) / 2
            graph = networkx.Graph()
            n = len(cities)
            graph.add_weighted_edges_from(
                (i, j, w[i, j]) for i in range(n) for j in range(i + 1, n)
            )
            t = time.perf_counter()
            best = sum(w[a, b] for a, b in networkx.max_weight_matching(graph, True))
            print(
                f"  exact (networkx blossom): total {best:.2f} in {time.perf_counter() - t:.0f} s;"
                f" ours is {pairing.total / best:.4f} of it"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["quality", "readout", "speed", "rounds"])
    parser.add_argument("--exact", action="store_true")
    parser.add_argument(
        "--cities", default="parma,lyon,dakar,bogota,jeonju", help="For the readout."
    )
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="The scrape of UNESCO's city pages."
    )
    args = parser.parse_args()
    texts = profile_texts(args.corpus)
    plugins = Plugins.load()
    if args.only in (None, "quality"):
        quality(plugins, texts)
        if "embeddings" in plugins.match_scorers():  # the optional model, when installed
            quality(plugins, texts, "embeddings")
    if args.only in (None, "readout"):
        readout(plugins, texts, args.cities.split(","))
    if args.only in (None, "speed"):
        speed(plugins, texts)
    if args.only in (None, "rounds"):
        rounds(plugins, texts, args.exact)


if __name__ == "__main__":
    main()
