"""The receivers of the workflow engine's signals (signals.py), connected by the
plugin through ISignal, as ckanext-activity connects its own."""
from ckanext.satudata.indah import sync
from ckanext.satudata.workflow import data_request, revision, signals, tombstone, visibility


def get_subscriptions() -> dict:
    return {
        signals.recording: [tombstone.on_recording],
        signals.recorded: [data_request.on_step],
        signals.applying: [revision.after_step],
        signals.moved: [visibility.relabel_activities],
        signals.committed: [revision.on_committed, sync.on_committed],
    }
