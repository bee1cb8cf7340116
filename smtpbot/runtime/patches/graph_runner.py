"""Rasa's graphs run by calling their nodes in dependency order: a `GraphRunner` of Rasa's own.

Rasa builds a dask task graph on every run (twice per message: NLU, then the policy) and lets
dask's scheduler walk it; for graphs of a dozen nodes run one at a time, building and
scheduling cost more than the nodes themselves (~2 ms per message, profiled with cProfile).

Rasa takes the runner as a class (`GraphRunner`, its extension point): the processor passes
the class it names `DaskGraphRunner` to `rasa.engine.loader.load_predict_graph_runner`. So
`OrderedGraphRunner` subclasses it and `install()` rebinds only that name, in
`rasa.core.processor`; Rasa's own class is left untouched (training keeps it).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import rasa.core.processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

from smtpbot.runtime.patches.base import Target, replace

TARGETS = (
    Target(
        "rasa.core.processor.DaskGraphRunner.run",
        "(self, inputs: 'Optional[Dict[Text, Any]]' = None, "
        "targets: 'Optional[List[Text]]' = None) -> 'Dict[Text, Any]'",
    ),
    Target(
        "rasa.core.processor.DaskGraphRunner._add_inputs_to_graph",
        "(inputs: 'Optional[Dict[Text, Any]]', graph: 'Any') -> 'None'",
    ),
    Target(
        "rasa.core.processor.DaskGraphRunner.__init__",
        "(self, graph_schema: 'GraphSchema', model_storage: 'ModelStorage', "
        "execution_context: 'ExecutionContext', hooks: 'Optional[List[GraphNodeHook]]' = None) "
        "-> 'None'",
    ),
    Target(
        "rasa.engine.graph.GraphSchema.minimal_graph_schema",
        "(self, targets: 'Optional[List[Text]]' = None) -> 'GraphSchema'",
    ),
    Target(
        "rasa.engine.loader.load_predict_graph_runner",
        "(storage_path: pathlib.Path, model_archive_path: pathlib.Path, "
        "model_storage_class: Type[rasa.engine.storage.storage.ModelStorage], "
        "graph_runner_class: Type[rasa.engine.runner.interface.GraphRunner]) "
        "-> Tuple[rasa.engine.storage.storage.ModelMetadata, "
        "rasa.engine.runner.interface.GraphRunner]",
    ),
)


class OrderedGraphRunner(DaskGraphRunner):
    """Rasa's `DaskGraphRunner` that runs a graph without dask: same nodes, same results."""

    def run(
        self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
    ) -> Dict[Text, Any]:
        """Rasa's `DaskGraphRunner.run`, computed by calling the nodes in dependency order.

        Each node of the targets' dependencies is called once, after its needs, with the same
        arguments (`(name, output)` pairs; a need that nothing provides is passed as its bare
        name, as dask does), inputs replace nodes of the same name, and errors surface the same
        way (GraphRunError). The order is worked out once per targets and inputs.

        Args:
            inputs: values of input nodes by name (Rasa's `__message__`, `__tracker__`).
            targets: the nodes to compute; by default the schema's targets.

        Returns:
            Each target's `(name, output)`, by name.
        """
        inputs = inputs or {}
        run_targets = list(targets if targets else self._graph_schema.target_names)
        nodes = self._graph_schema.nodes
        orders = self.__dict__.setdefault("_orders", {})
        key = (tuple(run_targets), frozenset(inputs))
        if key not in orders:
            orders[key] = (
                dependency_order(nodes, run_targets, set(inputs)),
                list(self._graph_schema.minimal_graph_schema(run_targets).nodes),
            )
        order, minimal_nodes = orders[key]
        # Rasa's own check that no input value names a node of the run (raises its GraphRunError).
        self._add_inputs_to_graph(inputs, dict.fromkeys(minimal_nodes))
        values: Dict[Text, Any] = {name: (name, value) for name, value in inputs.items()}
        try:
            for name in order:
                values[name] = self._instantiated_nodes[name](
                    *[values.get(need, need) for need in nodes[name].needs.values()]
                )
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(values.get(target, target) for target in run_targets)


def dependency_order(nodes: Dict[Text, Any], targets: List[Text], given: set) -> List[Text]:
    """The nodes `targets` need, each after its own needs (inputs in `given` are not run)."""
    order: List[Text] = []
    seen = set(given)

    def visit(name: Text) -> None:
        if name in seen or name not in nodes:
            return
        seen.add(name)
        for need in nodes[name].needs.values():
            visit(need)
        order.append(name)

    for target in targets:
        visit(target)
    return order


def install() -> None:
    """Make the processor load models with `OrderedGraphRunner` (once per process)."""
    replace(rasa.core.processor, "DaskGraphRunner", OrderedGraphRunner)
