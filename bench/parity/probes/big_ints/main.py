"""Integers over 4300 digits: the interpreter's int/str conversion limit, and lifting it."""

import sys


def attempt(make):
    try:
        return make()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc)[:80]}"


print(f"max_str_digits={sys.get_int_max_str_digits()}")
print(f"str_10_5000={attempt(lambda: len(str(10**5000)))!r}")
print(f"int_9x5000={attempt(lambda: int('9' * 5000) % 1000)!r}")
print(f"power_mod={pow(3, 10**5, 10**9 + 7)}")
sys.set_int_max_str_digits(0)
print(f"lifted_str_10_5000={attempt(lambda: len(str(10**5000)))!r}")
print(f"lifted_int_9x5000={attempt(lambda: int('9' * 5000) % 1000)!r}")
