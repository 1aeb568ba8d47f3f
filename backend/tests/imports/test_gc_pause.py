"""The cyclic garbage collector is held off during import passes, and given back after."""

import gc

from unionhub.imports import gc_pause


def test_the_collector_is_back_on_when_the_last_pass_ends() -> None:
    assert gc.isenabled()
    with gc_pause.paused():
        assert not gc.isenabled()
        with gc_pause.paused():  # a second pass, or a thread of the first
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_on_after_an_error() -> None:
    try:
        with gc_pause.paused():
            raise ValueError("the pass failed")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with gc_pause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
