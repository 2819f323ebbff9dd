"""Pickle round trips of the program's own classes and functions (by reference to __main__)."""

import collections
import copy
import dataclasses
import pickle
import typing


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


@dataclasses.dataclass
class Node:
    value: int
    next: "typing.Optional[Node]" = None


Pair = collections.namedtuple("Pair", "a b")


def square(x):
    return x * x


def attempt(make):
    try:
        return make()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


print(f"class_module={Point.__module__!r}")
print(f"point={attempt(lambda: vars(pickle.loads(pickle.dumps(Point(1, 2)))))!r}")
print(f"function={attempt(lambda: pickle.loads(pickle.dumps(square))(7))!r}")
print(f"class_itself={attempt(lambda: pickle.loads(pickle.dumps(Point)) is Point)!r}")
print(f"dataclass={attempt(lambda: pickle.loads(pickle.dumps(Node(1, Node(2)))))!r}")
print(f"namedtuple={attempt(lambda: pickle.loads(pickle.dumps(Pair(1, 2))))!r}")
print(f"deepcopy={attempt(lambda: vars(copy.deepcopy(Point(3, 4))))!r}")
print(f"type_hints={attempt(lambda: sorted(typing.get_type_hints(Node)))!r}")
