"""No code path grants a role except a passed proposal, trust, or founding a group.

These tests read the source of every mutua module: a role row is created in one function,
`_start_term`, which only the three grant paths in the governance services package call,
each with its own source; and nothing anywhere brings an ended term back or moves a term's
dates.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import mutua

PACKAGE = Path(mutua.__file__).parent
SERVICES = PACKAGE / "governance" / "services"
_CREATORS = {"create", "bulk_create", "get_or_create", "update_or_create"}
_CREATORS |= {f"a{name}" for name in set(_CREATORS)}  # the async twins: acreate, ...


def _modules() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


class _Calls(ast.NodeVisitor):
    """Every call in a module, with the function (or method) it sits in."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.calls: list[tuple[str, ast.Call]] = []

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node)

    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append((".".join(self.scope) or "<module>", node))
        self.generic_visit(node)


def _calls(path: Path) -> list[tuple[str, ast.Call]]:
    """Every call in a module, or in every module of a package (a directory)."""
    visitor = _Calls()
    for module in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
        visitor.visit(ast.parse(module.read_text(), filename=str(module)))
    return visitor.calls


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _role_rows_created() -> list[tuple[str, str]]:
    """(module, function) of every place that creates a RoleTerm row."""
    found = []
    for path in _modules():
        for scope, call in _calls(path):
            creates = _callee(call) in _CREATORS and _mentions(call.func, "RoleTerm")
            constructs = isinstance(call.func, ast.Name) and call.func.id == "RoleTerm"
            if creates or constructs:
                found.append((str(path.relative_to(PACKAGE)), scope))
    return found


def _callers(path: Path) -> dict[str, set[str]]:
    callers: dict[str, set[str]] = defaultdict(set)
    for scope, call in _calls(path):
        callers[_callee(call)].add(scope)
    return callers


def test_role_rows_are_created_in_one_place_only():
    assert _role_rows_created() == [("governance/services/_terms.py", "_start_term")]


def test_only_the_four_grant_paths_start_a_term_each_with_its_source():
    sources = {}
    for scope, call in _calls(SERVICES):
        if _callee(call) == "_start_term":
            source = next(k.value for k in call.keywords if k.arg == "source")
            assert isinstance(source, ast.Attribute)
            sources[scope] = source.attr

    assert sources == {
        "found_group": "BOOTSTRAP",
        "_grant_by_trust": "TRUST",
        "_grant_by_decision": "PROPOSAL",
        "trust_by_operator": "OPERATOR",
    }


def test_a_decision_grants_only_once_it_has_passed():
    callers = _callers(SERVICES)

    assert callers["_grant_by_decision"] == {"_carry_out"}
    assert callers["_carry_out"] == {"close_proposal"}
    assert callers["_grant_by_trust"] == {"give_trust"}
    # close_proposal carries a proposal out only on the PASSED verdict.
    outcomes = SERVICES / "outcomes.py"
    source = ast.get_source_segment(outcomes.read_text(), _function(outcomes, "close_proposal"))
    assert source is not None
    before_effect = source.split("_carry_out(")[0]
    assert "if outcome != Verdict.PASSED:" in before_effect


def _function(path: Path, name: str) -> ast.FunctionDef:
    tree = ast.parse(path.read_text())
    return next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)


def test_no_other_module_reaches_the_grant_paths():
    private = {"_start_term", "_grant_by_trust", "_grant_by_decision", "_carry_out"}
    for path in _modules():
        if SERVICES in path.parents:
            continue
        text = path.read_text()
        assert not [name for name in private if name in text], path


def test_no_update_revives_a_term_or_moves_its_dates():
    for path in _modules():
        for _scope, call in _calls(path):
            if _callee(call) != "update" or not _mentions(call.func, "RoleTerm"):
                continue
            keywords = {k.arg: k.value for k in call.keywords}
            assert not {"starts_at", "ends_at", "holder", "role", "group"} & set(keywords), path
            status = keywords.get("status")
            if status is not None:
                assert not (isinstance(status, ast.Attribute) and status.attr == "ACTIVE")
                assert not (isinstance(status, ast.Constant) and status.value == "active")


def test_the_checks_see_the_real_creation_site():
    """The readers above would pass vacuously if they could not see RoleTerm.objects.create."""
    calls = [call for scope, call in _calls(SERVICES) if scope == "_start_term"]
    assert any(_callee(c) == "create" and _mentions(c.func, "RoleTerm") for c in calls)
    assert any(_callee(c) == "update" and _mentions(c.func, "RoleTerm") for c in calls)
