"""multiprocessing.Pool (fork) mapping the program's own function."""

import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    try:
        with multiprocessing.Pool(2) as pool:
            print(f"map={pool.map_async(square, range(6)).get(timeout=20)!r}")
    except Exception as exc:
        print(f"map={type(exc).__name__}: {exc}")
