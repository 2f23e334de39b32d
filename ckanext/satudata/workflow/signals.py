"""The workflow engine's signals, in CKAN's ``ckanext`` blinker namespace.

The modules that act on a step (tombstones, revisions, data requests, activity
labels, INDAH) import the engine (service.py); the engine does not import them
back: it sends these signals, in this order, and the plugin connects their
receivers through ``ISignal`` (subscriptions.py). The sender is the Package.
"""
import ckan.plugins.toolkit as tk

_signal = tk.signals.ckanext.signal

#: ``event`` is built, not yet saved; ``target`` the state it enters.
recording = _signal("satudata_workflow_recording")
#: the new state is flushed, in the step's transaction; ``event``.
recorded = _signal("satudata_workflow_recorded")
#: a receiver may take the step over (``target``) and returns what it did then:
#: a revision entering a public state replaces its original and is purged.
applying = _signal("satudata_workflow_applying")
#: the dataset itself entered the new state (nothing took the step over).
moved = _signal("satudata_workflow_moved")
#: the step is committed; ``step``, ``user``, ``applied`` (what took it over, or None).
committed = _signal("satudata_workflow_committed")


def taken_over(results: list) -> object | None:
    """What a receiver of ``applying`` did instead of the step, if one did."""
    return next((value for _receiver, value in results if value is not None), None)
