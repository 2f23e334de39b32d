from setuptools import find_packages, setup

setup(
    name="ckanext-satudata",
    version="0.1.0",
    description=(
        "Satu Data Indonesia portal for CKAN: SDI/BPS metadata, review "
        "workflow, Frictionless validation and dissemination"
    ),
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=find_packages(exclude=["ckanext.satudata.tests*"]),
    namespace_packages=["ckanext"],
    include_package_data=True,
    zip_safe=False,
    install_requires=[
        "ckanext-scheming>=3.1.0",
        "ckanext-validation==2.2.0",
        "ckantoolkit",
        "tableschema",
        "frictionless>=5.18,<6",
        "ckanext-dcat>=2.4,<3",
        "rdflib>=6.1.1",
        "reportlab>=4.0,<6",
    ],
    extras_require={
        # the `satudata` harvester (ckanext/satudata/harvest/harvester.py)
        "harvest": ["ckanext-harvest>=1.6,<2"],
    },
    entry_points={
        "ckan.plugins": [
            "satudata = ckanext.satudata.plugin:SatudataPlugin",
            "satudata_validation = "
            "ckanext.satudata.validation_compat:SatudataValidationPlugin",
            "satudata_scheming = ckanext.satudata.scheming_drafts:SatudataSchemingPlugin",
            # needs ckanext-harvest: pip install ckanext-satudata[harvest]
            "satudata_harvester = ckanext.satudata.harvest.harvester:SatudataHarvester [harvest]",
        ],
        "ckan.rdf.profiles": [
            "satudata = ckanext.satudata.dcat.profile:SatudataProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
