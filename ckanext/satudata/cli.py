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
