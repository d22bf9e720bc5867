"""The one error tree: every raise names its most specific class, and errors.py draws them all."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import kg.errors as errors

KG = Path(errors.__file__).parent


def test_no_raise_names_the_bare_base_class():
    bare = []
    for path in sorted(KG.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            exc = node.exc if isinstance(node, ast.Raise) else None
            if isinstance(exc, ast.Call):
                exc = exc.func
            if isinstance(exc, ast.Name) and exc.id == "KgError":
                bare.append(f"{path.relative_to(KG.parent)}:{node.lineno}")
    assert not bare, bare


def test_the_docstring_draws_every_error_class_under_its_parent():
    doc = errors.__doc__
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.KgError)]
    tree = {line.split("──")[-1].split()[0]: len(line) - len(line.lstrip(" │├└─"))
            for line in doc.splitlines() if "──" in line}
    for cls in classes:
        if cls is errors.KgError:
            continue
        assert cls.__name__ in tree, cls.__name__
        parent = cls.__mro__[1].__name__
        if parent != "KgError":  # drawn one level below its parent
            assert parent in tree and tree[cls.__name__] > tree[parent], (cls.__name__, parent)
