"""Actions that produce the documents (registered through logic/action.py)."""
from __future__ import annotations

import base64
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata import lang
from ckanext.satudata.documents import lembar_pengesahan, trail, walidata
from ckanext.satudata.logic import schema

__all__ = ["satudata_lembar_pengesahan"]


@tk.side_effect_free
@validate(schema.lembar_pengesahan)
def satudata_lembar_pengesahan(context, data_dict) -> dict[str, Any]:
    """The Lembar Pengesahan (approval sheet) of a dataset, as PDF, in Indonesian.

    Each step of the dataset's review trail is a level: the person's full name,
    position (jabatan, else capacity), date and time, decision and notes; the
    dataset's title, OPD, ID SDS, workflow and current state on top, the
    Walidata's letterhead.

    :param id: dataset id or name
    :returns: ``{filename, mimetype, content}``; ``content`` is the PDF, base64-encoded
    :rtype: dict
    """
    tk.check_access("satudata_lembar_pengesahan", context, data_dict)
    pkg = model.Package.get(data_dict["id"])
    if pkg is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    reader = {"user": context.get("user"), "model": model,
              "ignore_auth": bool(context.get("ignore_auth"))}
    pkg_dict = tk.get_action("package_show")(reader, {"id": pkg.id})
    with lang.language("id"):
        sheet = trail.sheet(pkg, pkg_dict)
        data = lembar_pengesahan.render(walidata.profile(), sheet)
    return {"filename": f"lembar-pengesahan-{pkg.name}.pdf", "mimetype": "application/pdf",
            "content": base64.b64encode(data).decode("ascii")}
