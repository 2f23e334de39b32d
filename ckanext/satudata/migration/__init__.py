"""Shared alembic environment of this extension's migration trees."""
import os

from alembic import context
from sqlalchemy import engine_from_config, pool


def run(env_file: str) -> None:
    """Run the migrations of the tree holding ENV_FILE (its env.py).

    Each plugin keeps its own version table, so plugins migrate independently.
    """
    config = context.config
    version_table = "{}_alembic_version".format(os.path.basename(os.path.dirname(env_file)))
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"),
                          literal_binds=True, version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
