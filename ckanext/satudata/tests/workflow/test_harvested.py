"""What harvesters see of the workflow: metadata_modified moves when a dataset enters or
leaves the public, and harvested copies follow their source (service.follow_source)."""
import datetime

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.model import WorkflowEvent
from ckanext.satudata.workflow import service

LONG_AGO = datetime.datetime(2020, 1, 1)


def _age(dataset) -> None:
    model.Session.query(model.Package).filter_by(id=dataset["id"]).update(
        {"metadata_modified": LONG_AGO})
    model.Session.commit()


def _modified(dataset) -> datetime.datetime:
    model.Session.expire_all()
    return model.Package.get(dataset["id"]).metadata_modified


def _anonymous_sees(dataset) -> bool:
    try:
        helpers.call_action("package_show", {"user": "", "ignore_auth": False}, id=dataset["id"])
        return True
    except helpers.logic.NotAuthorized:
        return False


def test_publication_and_withdrawal_move_metadata_modified(portal):
    """CKAN harvesters ask for metadata_modified since their last run: a dataset
    published long after its last edit must not be older than its publication."""
    dataset = portal.dataset()
    portal.reach(dataset, "disetujui")
    _age(dataset)
    portal.reach(dataset, "terpublikasi")
    published = _modified(dataset)
    assert published > datetime.datetime.utcnow() - datetime.timedelta(minutes=5)
    assert helpers.call_action("package_show", id=dataset["id"])["metadata_modified"] == \
        published.isoformat()

    _age(dataset)
    portal.reach(dataset, "ditarik")
    assert _modified(dataset) > LONG_AGO


def test_review_steps_leave_metadata_modified_alone(portal):
    dataset = portal.dataset()
    _age(dataset)
    portal.reach(dataset, "disetujui")
    assert _modified(dataset) == LONG_AGO


def test_a_harvested_copy_is_published_without_review_and_withdrawn_with_its_source(portal):
    copy = portal.dataset()
    harvester = model.User.get(portal.sysadmin["name"])
    pkg = model.Package.get(copy["id"])

    event = service.follow_source(pkg, harvester, public=True, action="harvest",
                                  comment="https://satudata.pasuruankab.go.id")
    assert (event.from_state, event.to_state) == ("draf", "terpublikasi")
    assert _anonymous_sees(copy)
    assert helpers.call_action("package_show", id=copy["id"])["satudata_state"] == "terpublikasi"
    # already there: no second event
    assert service.follow_source(pkg, harvester, public=True, action="harvest") is None

    service.follow_source(model.Package.get(copy["id"]), harvester, public=False,
                          action="harvest_withdraw", comment="https://satudata.pasuruankab.go.id: salah")
    assert not _anonymous_sees(copy)
    trail = [(e.action, e.from_state, e.to_state, e.comment) for e in
             model.Session.query(WorkflowEvent).filter_by(package_id=copy["id"])
             .order_by(WorkflowEvent.timestamp)]
    assert trail == [
        ("harvest", "draf", "terpublikasi", "https://satudata.pasuruankab.go.id"),
        ("harvest_withdraw", "terpublikasi", "ditarik", "https://satudata.pasuruankab.go.id: salah")]
    shown = helpers.call_action("satudata_tombstone_show", id=copy["id"])
    assert shown["reason"] == "https://satudata.pasuruankab.go.id: salah"
