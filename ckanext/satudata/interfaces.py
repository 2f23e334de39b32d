"""Plugin interfaces of ckanext-satudata."""
from ckan.plugins.interfaces import Interface


class ISatudataWorkflowGates(Interface):
    """Add checks that workflow transitions can require (`gates:` in a workflow YAML)."""

    def get_workflow_gates(self):
        """Return ``{name: function(dataset_dict) -> list of problem messages}``."""
        return {}
