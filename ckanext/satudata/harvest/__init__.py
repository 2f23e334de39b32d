"""What harvesters of this portal get (national.py), and the ``satudata`` harvester
with which a portal running this extension harvests another one (harvester.py; needs
ckanext-harvest: ``pip install ckanext-satudata[harvest]``). README.md, Harvesting."""
