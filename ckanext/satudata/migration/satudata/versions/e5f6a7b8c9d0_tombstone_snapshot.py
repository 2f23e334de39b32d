"""Tombstones frozen at withdrawal: the withdraw event keeps what the public may know

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "e5f6a7b8c9d0"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("satudata_workflow_event", sa.Column("snapshot", JSONB))


def downgrade():
    op.drop_column("satudata_workflow_event", "snapshot")
