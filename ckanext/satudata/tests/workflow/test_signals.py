"""The engine calls the modules that act on a step through its signals, never by
importing them back (signals.py); the plugin connects their receivers."""
import ast
from pathlib import Path

from ckanext.satudata.workflow import service, signals, subscriptions

LISTENING = {"tombstone", "revision", "data_request", "visibility", "sync", "indah"}


def _imported_names(module) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
        if isinstance(node, ast.ImportFrom):
            names.update((node.module or "").split(".") + [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            names.update(part for a in node.names for part in a.name.split("."))
    return names


def test_the_engine_imports_none_of_its_listeners():
    assert not _imported_names(service) & LISTENING


def test_every_receiver_is_connected_while_the_plugin_is_loaded():
    for signal, receivers in subscriptions.get_subscriptions().items():
        connected = list(signal.receivers_for(object()))
        assert all(r in connected for r in receivers), signal.name


def test_a_step_taken_over_is_what_its_receiver_returned():
    assert signals.taken_over([(print, None), (len, "applied")]) == "applied"
    assert signals.taken_over([(print, None)]) is None
