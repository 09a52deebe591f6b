"""The model DAG: dependency order, cycle detection and ``--select`` expansion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lingshu.core.errors import ModelError


class Dag:
    """Nodes are table names; ``deps[n]`` are the tables ``n`` reads that other nodes produce."""

    def __init__(self, deps: Mapping[str, Iterable[str]]):
        self.deps = {node: sorted(set(d)) for node, d in deps.items()}
        self.children: dict[str, list[str]] = {node: [] for node in self.deps}
        for node, parents in self.deps.items():
            for parent in parents:
                self.children.setdefault(parent, []).append(node)
        self._check_acyclic()

    def _check_acyclic(self) -> None:
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            for parent in self.deps.get(node, ()):
                if state.get(parent) == 1:
                    cycle = path[path.index(parent):] + [parent]
                    # Print in reading direction: a -> b means b reads a.
                    raise ModelError(
                        "models form a cycle: " + " -> ".join(reversed(cycle)),
                        hint="a model cannot read, directly or indirectly, a table built from itself",
                    )
                if state.get(parent) is None:
                    visit(parent, [*path, parent])
            state[node] = 2

        for node in sorted(self.deps):
            if node not in state:
                visit(node, [node])

    def order(self, nodes: Iterable[str] | None = None) -> list[str]:
        """Topological order (parents first), ties broken by name so runs are reproducible."""
        wanted = set(self.deps if nodes is None else nodes)
        remaining = {n: {p for p in self.deps.get(n, ()) if p in wanted} for n in wanted}
        ordered: list[str] = []
        while remaining:
            ready = sorted(n for n, parents in remaining.items() if not parents)
            ordered.extend(ready)
            for n in ready:
                del remaining[n]
            for parents in remaining.values():
                parents.difference_update(ready)
        return ordered

    def upstream(self, node: str) -> set[str]:
        return self._walk(node, self.deps)

    def downstream(self, node: str) -> set[str]:
        return self._walk(node, self.children)

    @staticmethod
    def _walk(node: str, edges: Mapping[str, Iterable[str]]) -> set[str]:
        seen: set[str] = set()
        stack = [node]
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    def select(self, selectors: Iterable[str]) -> set[str]:
        """dbt-style selectors: ``name``, ``+name`` (with upstream), ``name+`` (with downstream)."""
        chosen: set[str] = set()
        for raw in selectors:
            name = raw.strip("+")
            if name not in self.deps:
                raise ModelError(f"--select {raw!r}: no model named {name!r}",
                                 hint="use a table name such as dwd.orders; `lingshu pack list -v` lists them")
            chosen.add(name)
            if raw.startswith("+"):
                chosen |= self.upstream(name)
            if raw.endswith("+"):
                chosen |= self.downstream(name)
        return chosen
