"""NLU time per message, in-process: `python -m smtpbot.tools.nlu_speed [--model M]`.

Loads the trained model once (as the Rasa server does), then parses every text of the
evaluation sets (real messages, probes, regression set) several times and prints the CPU and
wall-clock milliseconds per message (mean, median, 95th percentile): the whole NLU pipeline
(classifier, fallback, KB matcher with salience) as Rasa runs it out of the box, then as this
project's servers run it (with smtpbot/runtime/patches installed, as `make run` and `rasa run`
with this endpoints.yml do: Rasa's graph runner without dask), and the KB matcher alone. Not
a test: timings belong to measurements, never to assertions.
"""

import argparse
import asyncio
import statistics
import time
from typing import Callable, Dict, List

from smtpbot.tools.evaluate import PROBES, REAL, REGRESSION, load


def _summary(name: str, cpu: List[float], wall: List[float]) -> str:
    def stats(values: List[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return f"mean {statistics.mean(values):.2f}  median {statistics.median(values):.2f}  p95 {p95:.2f}"

    return f"{name:<32} CPU ms/msg: {stats(cpu)} | wall ms/msg: {stats(wall)}"


def measure(
    parse: Callable[[str], object], texts: List[str], rounds: int
) -> Dict[str, List[float]]:
    """CPU and wall time of `parse` per text, over `rounds` passes.

    The first pass sees every text for the first time (the matcher's per-word typo cache is
    cold for its words), like a server meeting new customers; later passes are warm.
    """
    parse("hello")  # lazy imports and first-call set-up are not per-message costs
    cpu, wall = [], []
    for _ in range(rounds):
        for text in texts:
            c0, w0 = time.process_time(), time.perf_counter()
            parse(text)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
    return {"cpu": cpu, "wall": wall}


def main() -> None:
    """Print the NLU's time per message over the evaluation texts."""
    import logging

    from rasa.core.agent import Agent

    from smtpbot.kb.knowledge import get_kb
    from smtpbot.runtime.patches import install_all
    from smtpbot.understanding.mentions import MentionExtractor

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/smtpbot.tar.gz")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import structlog

    logging.getLogger().setLevel(logging.WARNING)
    # Rasa logs every parse at debug level through structlog: not part of the NLU's cost
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    texts = [i.text for path in (REAL, PROBES, REGRESSION) for i in load(path)]
    loop = asyncio.new_event_loop()

    def pipeline() -> Dict[str, List[float]]:
        agent = Agent.load(args.model)  # a new model: its matcher's typo cache starts cold
        return measure(
            lambda t: loop.run_until_complete(agent.parse_message(t)), texts, args.rounds
        )

    stock = pipeline()
    install_all()  # process-wide from here on, as in the server
    patched = pipeline()
    extractor = MentionExtractor(get_kb())
    rules = measure(extractor.facts, texts, args.rounds)
    print(
        f"{len(texts)} texts x {args.rounds} rounds, mean {statistics.mean(map(len, texts)):.0f} chars"
    )
    first = len(texts)
    for name, nlu in (("stock Rasa", stock), ("server", patched)):
        print(_summary(f"NLU, {name}, first pass", nlu["cpu"][:first], nlu["wall"][:first]))
        print(_summary(f"NLU, {name}, all passes", nlu["cpu"], nlu["wall"]))
    print(_summary("KB matcher, first pass", rules["cpu"][:first], rules["wall"][:first]))
    print(_summary("KB matcher, all passes", rules["cpu"], rules["wall"]))


if __name__ == "__main__":
    main()
