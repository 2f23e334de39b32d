"""satudata_workflow_bulk_transition: one action on many datasets, each on its own."""
import pytest

from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def bulk(user, ids, action, **extra):
    return helpers.call_action("satudata_workflow_bulk_transition",
                               {"user": user["name"], "ignore_auth": False},
                               ids=ids, action=action, **extra)


def state(dataset):
    return helpers.call_action("satudata_workflow_show", id=dataset["id"])["state"]


def test_each_dataset_succeeds_or_fails_on_its_own(portal):
    ready = [portal.dataset() for _ in range(3)]
    for dataset in ready:
        portal.reach(dataset, "direview_pembina")
    draft = portal.dataset()

    results = bulk(portal.pembina, [ready[0]["id"], draft["id"], ready[1]["name"], "tidak-ada",
                                    ready[2]["id"]], "approve")


    assert [(r["id"], r["ok"], r["state"]) for r in results] == [
        (ready[0]["id"], True, "disetujui"), (draft["id"], False, None),
        (ready[1]["name"], True, "disetujui"), ("tidak-ada", False, None),
        (ready[2]["id"], True, "disetujui")]
    assert all(r["error"] is None for r in results if r["ok"])
    assert results[1]["error"]  # the producer's draft: the BPS cannot even see it
    assert results[3]["error"]
    assert [state(d) for d in ready] == ["disetujui"] * 3
    assert state(draft) == "draf"


def test_a_gate_failure_does_not_stop_the_others(portal):
    good = portal.dataset()
    unvalidated = portal.dataset(resources=[
        {"name": "Data penduduk", "url": "http://127.0.0.1:9/a.csv", "format": "CSV"}])
    results = bulk(portal.produsen, f"{good['id']}, {unvalidated['id']}", "submit")
    assert [r["ok"] for r in results] == [True, False]
    assert "Data penduduk" in results[1]["error"]
    assert state(good) == "diperiksa_walidata" and state(unvalidated) == "draf"


def test_auth_and_roles_per_dataset(portal):
    mine, theirs = portal.dataset(), portal.dataset()
    portal.reach(theirs, "diperiksa_walidata")
    results = bulk(portal.produsen_lain, [mine["id"]], "submit")
    assert results[0]["ok"] is False and state(mine) == "draf"
    results = bulk(portal.walidata, [theirs["id"]], "return")  # a reason is required
    assert results[0]["ok"] is False and "reason" in results[0]["error"].lower()
    results = bulk(portal.walidata, [theirs["id"]], "return", comment="Belum lengkap")
    assert results[0]["ok"] is True and state(theirs) == "dikembalikan"
    with pytest.raises(NotAuthorized):
        bulk({"name": ""}, [mine["id"]], "submit")


def test_roles_remembered_for_a_batch_are_each_opds_own(portal):
    """The caller's roles are asked once per OPD in a batch, never carried to another OPD."""
    mine = portal.dataset()
    theirs = sd.create(sd.data_sektoral(portal.opd_lain["id"], kegiatan=None),
                       portal.produsen_lain["name"])
    # A plain member of the other OPD reads its drafts but produces none of them.
    helpers.call_action("organization_member_create", {"user": portal.sysadmin["name"]},
                        id=portal.opd_lain["id"], username=portal.produsen["name"], role="member")
    results = bulk(portal.produsen, [mine["id"], theirs["id"], portal.dataset()["id"]], "submit")
    assert [r["ok"] for r in results] == [True, False, True]
    assert "Produsen Data" in results[1]["error"] or "Data producer" in results[1]["error"]
    assert state(mine) == "diperiksa_walidata" and state(theirs) == "draf"


@pytest.mark.parametrize("ids", [[], "", [""], ["a"] * 1001])
def test_bad_id_lists_are_refused(portal, ids):
    with pytest.raises(ValidationError) as refused:
        bulk(portal.produsen, ids, "submit")
    assert "ids" in refused.value.error_dict


class SolrCommits:
    """Counts the Solr updates that commit (explicit commits and adds/deletes with commit)."""

    def __init__(self, monkeypatch):
        import pysolr

        self.count = 0
        real = pysolr.Solr._update

        def counted(solr, message, *args, **kwargs):
            if kwargs.get("commit") or "<commit" in str(message):
                self.count += 1
            return real(solr, message, *args, **kwargs)
        monkeypatch.setattr(pysolr.Solr, "_update", counted)


def _found(dataset) -> bool:
    """Does an anonymous search find DATASET now (what the index has committed)?"""
    return helpers.call_action("package_search", {"user": "", "ignore_auth": False},
                               q=f'id:"{dataset["id"]}"')["count"] == 1


def test_a_batch_shares_one_index_commit_and_reports_progress(portal, monkeypatch):
    ready = [portal.dataset() for _ in range(4)]
    for dataset in ready:
        portal.reach(dataset, "disetujui")
    commits, seen = SolrCommits(monkeypatch), []
    results = helpers.call_action(
        "satudata_workflow_bulk_transition",
        {"user": portal.walidata["name"], "ignore_auth": False,
         "satudata_progress": lambda done, total: seen.append((done, total))},
        ids=[d["id"] for d in ready], action="publish")
    assert all(r["ok"] for r in results)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    # was three a dataset: CKAN's rebuild deletes and adds, each committing, then its
    # automatic indexing wrote the dataset again when `private` changed
    assert commits.count == 1
    assert all(_found(d) for d in ready)
    assert [state(d) for d in ready] == ["terpublikasi"] * 4


def test_a_withdrawal_leaves_public_search_at_once_even_in_a_batch(portal, monkeypatch):
    published = [portal.dataset() for _ in range(3)]
    for dataset in published:
        portal.reach(dataset, "terpublikasi")
    assert all(_found(d) for d in published)
    still_found = []

    def after_each(done, total):
        # Right after its step, before the batch ends: already out of public search.
        still_found.append(_found(published[done - 1]))

    results = helpers.call_action(
        "satudata_workflow_bulk_transition",
        {"user": portal.walidata["name"], "ignore_auth": False, "satudata_progress": after_each},
        ids=[d["id"] for d in published], action="withdraw", comment="Data diganti")
    assert all(r["ok"] for r in results)
    assert still_found == [False, False, False]


def test_cli_moves_the_queue_with_a_progress_bar(portal):
    from click.testing import CliRunner

    from ckanext.satudata.cli import satudata

    waiting = [portal.dataset() for _ in range(3)]
    for dataset in waiting:
        portal.reach(dataset, "direview_pembina")
    elsewhere = portal.dataset()  # a draft: not in the Pembina's queue

    result = CliRunner().invoke(satudata, ["bulk", "approve", "--user", portal.pembina["name"],
                                           "--queue"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "approve" in result.output  # the bar's label (its count only on a terminal)
    assert "summary: 3 moved, 0 not moved" in result.output
    assert [state(d) for d in waiting] == ["disetujui"] * 3 and state(elsewhere) == "draf"

    result = CliRunner().invoke(satudata, ["bulk", "approve", "--user", portal.pembina["name"],
                                           waiting[0]["name"], elsewhere["id"]])
    assert result.exit_code == 1
    assert "summary: 0 moved, 2 not moved" in result.output
    assert f"not moved: {elsewhere['id']}" in result.output

    result = CliRunner().invoke(satudata, ["bulk", "approve", "--user", ""])
    assert result.exit_code != 0  # neither DATASETS nor --queue


class Statements:
    """Counts the statements sent to PostgreSQL."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        import sqlalchemy as sa
        import ckan.model as model

        sa.event.listen(model.meta.engine, "before_cursor_execute", self._statement)
        return self

    def __exit__(self, *exc):
        import sqlalchemy as sa
        import ckan.model as model

        sa.event.remove(model.meta.engine, "before_cursor_execute", self._statement)

    def _statement(self, *args):
        self.count += 1


#: statements a bulk step sends for each further dataset (the auth check, the row
#: lock, the event, notices, activity labels, the index document), as measured
#: (62-69 before the batch remembered the caller's labels and roles and stopped
#: building satudata_workflow_show for each). A change that adds one fails here:
#: update the number only for a statement the step needs.
STATEMENTS_PER_DATASET = {"submit": 24, "forward": 23, "approve": 25, "publish": 23}


def test_a_bulk_step_costs_the_same_few_statements_for_each_dataset(portal):
    """Counts, never time: a step of 3 datasets against one of 1; the difference
    over 2 is what each further dataset costs."""
    small, large = [portal.dataset()], [portal.dataset() for _ in range(3)]
    seen = {}
    for action, user in (("submit", portal.produsen), ("forward", portal.walidata),
                         ("approve", portal.pembina), ("publish", portal.walidata)):
        counts = []
        for batch in (small, large):
            with Statements() as statements:
                results = bulk(user, [d["id"] for d in batch], action)
            assert all(r["ok"] for r in results), results
            counts.append(statements.count)
        seen[action] = (counts[1] - counts[0]) / 2
    assert seen == STATEMENTS_PER_DATASET
