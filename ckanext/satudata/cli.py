"""`ckan satudata …` commands (registered by tk.blanket.cli)."""
import click

__all__ = ["satudata"]


@click.group(short_help="Satu Data portal commands.")
def satudata():
    """Satu Data portal commands."""


@satudata.command()
@click.option("--credentials", type=click.Path(dir_okay=False), required=True,
              help="JSON file that receives the demo users' passwords and API tokens.")
def demo(credentials):
    """Load the demo organizations, users and datasets (keeps what exists)."""
    from ckanext.satudata.demo.loader import load_demo

    created = load_demo(credentials)
    click.echo("demo data: created {organizations} organizations, {users} users, "
               "{datasets} datasets".format(**created))
    click.echo(f"credentials: {credentials}")


@satudata.command()
@click.argument("dataset", required=False)
@click.option("--all", "all_", is_flag=True, help="Every dataset's CSV/XLSX resources.")
@click.option("--sync", is_flag=True,
              help="Validate here and now instead of queueing jobs for the RQ worker.")
def validate(dataset, all_, sync):
    """Validate the CSV/XLSX resources of DATASET (id or name) or of --all datasets.

    Also requeues (or ends in "error") checks left "running" by a worker that
    died. Prints a summary per status; exits 1 when a file failed or could
    not be checked (with --sync), or could not be queued.
    """
    from ckanext.satudata.validation import batch

    if bool(dataset) == all_:
        raise click.UsageError("Give one DATASET or --all.")
    recovered = batch.recover()
    if any(recovered.values()):
        click.echo("recovered interrupted checks: requeued {requeued}, ended in error {errored}"
                   .format(**recovered))
    resources = batch.resources(None if all_ else dataset)
    counts: dict = {}
    label = "validating" if sync else "queueing"
    with click.progressbar(resources, label=label, show_pos=True,
                           item_show_func=lambda r: r and r["name"]) as bar:
        for resource in bar:
            status = batch.validate(resource, sync)
            counts[status] = counts.get(status, 0) + 1
    click.echo("summary: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                              or "no CSV/XLSX resources"))
    if counts.get("failure") or counts.get("error"):
        raise SystemExit(1)


@satudata.command()
@click.option("--stale", is_flag=True, required=True,
              help="Only what differs from the database (required: a full rebuild is "
                   "`ckan search-index rebuild`).")
@click.option("--dry-run", is_flag=True, help="Report what differs, change nothing.")
def reindex(stale, dry_run):
    """Reconcile the search index with the database.

    Reindexes datasets whose Solr document is missing or differs (modified
    time, visibility, workflow state) and removes documents of datasets that
    are gone. The worker (`ckan satudata worker`) runs this at start and
    periodically. Exits 1 when Solr cannot be reached or a dataset failed.
    """
    import pysolr
    from ckan.lib.search import SearchError

    from ckanext.satudata.recovery import index

    try:
        outcome = index.reconcile(dry_run=dry_run)
    except (SearchError, pysolr.SolrError, OSError) as error:
        raise click.ClickException(f"search index unavailable: {error}")
    click.echo("checked {checked}, missing {missing}, outdated {outdated}, removed {removed}, "
               "failed {failed}".format(**outcome.as_dict())
               + (" (dry run: nothing changed)" if dry_run else ""))
    if outcome.failed:
        raise SystemExit(1)


@satudata.command()
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker(queues, burst):
    """The background worker: CKAN's `jobs worker` plus recovery.

    At start and every ckanext.satudata.recovery_interval seconds it requeues
    validation checks stranded `running` or `pending` (Redis or a worker
    failed) and reconciles the search index (`reindex --stale`).
    """
    from ckanext.satudata.recovery.worker import Worker

    Worker(queues or None).work(burst=burst)


#: satudata_workflow_bulk_transition takes at most this many ids a call
BULK_CHUNK = 1000


@satudata.command()
@click.argument("action")
@click.argument("datasets", nargs=-1)
@click.option("--user", "user_name", required=True,
              help="Who takes the step: their roles decide, as on the queue page.")
@click.option("--queue", "from_queue", is_flag=True,
              help="Every dataset waiting in the user's queue, instead of DATASETS.")
@click.option("--comment", default="", help="The reason (required to return, reject or withdraw).")
@click.option("--to", "to", default=None, help="The target state where ACTION leads to several.")
def bulk(action, datasets, user_name, from_queue, comment, to):
    """Take one workflow step, ACTION (approve, publish, …), for many datasets.

    DATASETS are ids or names (or --queue). Each dataset is its own
    transaction, checked on its own (role, state, gates); the search index is
    committed once per 1,000 datasets. Shows a progress bar, then the datasets
    that were not moved; exits 1 when there is one.
    """
    import ckan.plugins.toolkit as tk

    if bool(datasets) == from_queue:
        raise click.UsageError("Give DATASETS or --queue.")
    if from_queue:
        datasets = [item["id"] for item in tk.get_action("satudata_workflow_queue")(
            {"user": user_name, "ignore_auth": False}, {})]
    data = {"action": action, "comment": comment, **({"to": to} if to else {})}
    failed = []
    with click.progressbar(length=len(datasets), label=action, show_pos=True,
                           show_percent=True) as bar:
        done_in_chunk = [0]

        def progress(done: int, total: int) -> None:
            bar.update(done - done_in_chunk[0])
            done_in_chunk[0] = done

        for start in range(0, len(datasets), BULK_CHUNK):
            done_in_chunk[0] = 0
            context = {"user": user_name, "ignore_auth": False, "satudata_progress": progress}
            try:
                results = tk.get_action("satudata_workflow_bulk_transition")(
                    context, dict(data, ids=list(datasets[start:start + BULK_CHUNK])))
            except (tk.NotAuthorized, tk.ValidationError) as error:
                raise click.ClickException(str(error))
            failed += [r for r in results if not r["ok"]]
    for result in failed:
        click.echo(f"not moved: {result['id']}: {result['error']}", err=True)
    click.echo(f"summary: {len(datasets) - len(failed)} moved, {len(failed)} not moved")
    if failed:
        raise SystemExit(1)


@satudata.command("indah-pull")
def indah_pull():
    """Queue a pull of INDAH's status and BPS's notes for every kegiatan INDAH has
    not decided on yet, and send again the reports INDAH was down for (run it from
    cron, e.g. hourly; the worker does the rest)."""
    from ckanext.satudata.indah import client, sync

    if not client.configured():
        raise click.ClickException("ckanext.satudata.indah.url is not set")
    click.echo(f"queued {sync.queue_pulls()} INDAH job(s)")
