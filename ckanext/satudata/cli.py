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
