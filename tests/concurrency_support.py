"""Two people at once, for the tests of concurrent writes: each works in a thread of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable


def at_once(work: Callable[[str], None], people: Iterable[str]) -> list[BaseException]:
    """Run ``work(person)`` for every person at the same time; the exceptions any of them raised
    (an empty list when all kept their work)."""
    errors: list[BaseException] = []

    def guarded(person: str) -> None:
        try:
            work(person)
        except BaseException as exc:  # reported to the test, which asserts there is none
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
