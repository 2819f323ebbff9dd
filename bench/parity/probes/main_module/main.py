"""The program's module: __name__, its dunder globals, and whether sys.modules['__main__'] is it."""

import sys

print(f"name={__name__!r}")
print(f"dunders={sorted(k for k in globals() if k.startswith('__'))!r}")
print(f"doc_is_module_docstring={(__doc__ or '').startswith('The program')}")
print(f"spec={__spec__!r}")
print(f"package={globals().get('__package__', '<unset>')!r}")
print(f"builtins_type={type(__builtins__).__name__}")
main = sys.modules["__main__"]
print(f"main_module_dict_is_globals={getattr(main, '__dict__', None) is globals()}")
print(f"main_module_file_matches={getattr(main, '__file__', None) == __file__}")


def marker():
    return 1


print(f"main_module_has_marker={getattr(main, 'marker', None) is marker}")
print(f"function_module={marker.__module__!r}")
if __name__ == "__main__":
    print("main_guard=ran")
