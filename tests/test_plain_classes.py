"""The value classes written out by hand instead of ``@dataclass`` (which
compiles several functions per class at every start of rosc) behave as the
dataclass they replaced: the same constructor, repr, equality, hashing,
ordering and immutability as ``dataclasses.make_dataclass`` gives for the
same fields."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest

from rosc import diagnostics
from rosc.cli import files
from rosc.syntax import grammar, parser, source, tree
from rosc.vocabulary import compiled, menus, overlay, type_forms, versions
from rosc.vocabulary import tree as vocabulary_tree

MODULES = (diagnostics, files, grammar, parser, source, tree, compiled, menus, overlay, type_forms, versions, vocabulary_tree)
# fields a dataclass declared with repr=False
NOT_IN_REPR = {(menus.Command, "_by_alias")}

CLASSES = [
    cls for module in MODULES for cls in vars(module).values()
    if inspect.isclass(cls) and cls.__module__ == module.__name__ and "__slots__" in vars(cls)
    and "__init__" in vars(cls) and "__repr__" in vars(cls) and "__eq__" in vars(cls)
]


def test_the_written_out_classes_are_found():
    names = {c.__qualname__ for c in CLASSES}
    assert {"Span", "Diagnostic", "Word", "Command", "Script", "Version", "Life", "Param", "GenArg"} <= names
    assert not any(dataclasses.is_dataclass(c) for c in CLASSES)


def _flags(cls) -> dict:
    return {"frozen": "__setattr__" in vars(cls), "order": "__lt__" in vars(cls)}


def _reference(cls):
    """The dataclass of ``cls``'s fields, in order, with its flags."""
    fields = [(name, object, dataclasses.field(repr=(cls, name) not in NOT_IN_REPR)) for name in cls.__slots__]
    return dataclasses.make_dataclass(cls.__qualname__, fields, slots=True, **_flags(cls))


def _values(cls, tag: str = "") -> list:
    return [f"{name}{tag}" for name in cls.__slots__]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_behaves_as_its_dataclass(cls):
    params = list(inspect.signature(cls.__init__).parameters)[1:]
    assert tuple(params) == cls.__slots__ == cls.__match_args__
    ref = _reference(cls)
    if "__post_init__" in vars(cls):  # fills fields from others: compare with what it makes
        mine = cls(*_values(cls))
        ref_values = [getattr(mine, n) for n in cls.__slots__]
    else:
        mine, ref_values = cls(*_values(cls)), _values(cls)
    theirs = ref(*ref_values)
    assert repr(mine) == repr(theirs)
    assert mine == cls(*ref_values) and not (mine != cls(*ref_values))
    assert (mine == theirs) is False  # another class: never equal, as between dataclasses
    for i in range(len(ref_values)):
        changed = list(ref_values)
        changed[i] = changed[i] + "!"
        assert (cls(*changed) == mine) is (ref(*changed) == theirs)
        if _flags(cls)["order"]:
            assert (cls(*changed) < mine) is (ref(*changed) < theirs)
            assert (cls(*changed) >= mine) is (ref(*changed) >= theirs)
    if _flags(cls)["frozen"]:
        assert hash(mine) == hash(theirs)
        with pytest.raises(AttributeError):
            setattr(mine, cls.__slots__[0], "x")
        with pytest.raises(AttributeError):
            delattr(mine, cls.__slots__[0])
    else:
        with pytest.raises(TypeError):
            hash(mine)
        setattr(mine, cls.__slots__[0], "x")
        assert getattr(mine, cls.__slots__[0]) == "x"
    with pytest.raises(AttributeError):
        mine.not_a_field = 1  # __slots__: no other attributes
    again = cls(*ref_values)
    for twin in (pickle.loads(pickle.dumps(again)), copy.copy(again), copy.deepcopy(again)):  # -j workers pickle
        assert type(twin) is cls and twin == again and repr(twin) == repr(again)


def test_mutable_defaults_are_fresh_per_instance():
    a, b = tree.Script([]), tree.Script([])
    c = tree.Command(0, 1, False, (), 0, None, [])
    d = tree.Command(0, 1, False, (), 0, None, [])
    c.comments.append(tree.Comment(0, 1, "# x"))
    assert d.comments == [] and a == b
    assert diagnostics.Diagnostic("X", diagnostics.Severity.INFO, "m", "p", diagnostics.Span(1, 1, 1, 1, 0, 0)).notes == []
