"""Job bookkeeping next to ckanext-validation's columns: start time, attempts, fingerprint

Revision ID: c4d5e6f7a8b9
Revises: a1c0f3e2b9d4
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa

revision = "c4d5e6f7a8b9"
down_revision = "a1c0f3e2b9d4"
branch_labels = None
depends_on = None


def upgrade():
    # started: when a worker picked the job up (a "running" row whose start is
    # older than the job timeout was abandoned by a dead worker);
    # attempts: how many times it was started; fingerprint: what was queued
    # (file, schema, options), so an unrelated dataset edit does not queue it again.
    op.add_column("validation", sa.Column("started", sa.DateTime))
    op.add_column("validation", sa.Column("attempts", sa.Integer, server_default="0",
                                          nullable=False))
    op.add_column("validation", sa.Column("fingerprint", sa.UnicodeText))


def downgrade():
    op.drop_column("validation", "fingerprint")
    op.drop_column("validation", "attempts")
    op.drop_column("validation", "started")
