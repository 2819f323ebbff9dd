"""multiprocessing.Process (fork) running the program's own function, answering on a Pipe."""

import multiprocessing


def work(conn, x):
    conn.send(x * 3)
    conn.close()


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=work, args=(child, 14))
    process.start()
    print(f"answer={parent.recv() if parent.poll(20) else 'none within 20 s'}")
    process.join(20)
    print(f"exitcode={process.exitcode}")
    print(f"child_name={process.name!r}")
