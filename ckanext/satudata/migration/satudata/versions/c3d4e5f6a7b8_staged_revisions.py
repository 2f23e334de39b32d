"""Staged revisions of published datasets

Revision ID: c3d4e5f6a7b8
Revises: b7e1d2c3a4f5
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "c3d4e5f6a7b8"
down_revision = "b7e1d2c3a4f5"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "satudata_revision",
        # No foreign key: the revision's dataset is purged once applied, its record stays.
        sa.Column("revision_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="open"),
        sa.Column("created", TZ, nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("closed", TZ),
        sa.Column("resource_map", JSONB, nullable=False, server_default="{}"),
    )
    # One open revision per dataset, even for two people starting one at once.
    op.create_index("satudata_revision_one_open", "satudata_revision", ["package_id"],
                    unique=True, postgresql_where=sa.text("status = 'open'"))
    # Events of an applied revision are recorded on the original, naming the revision.
    op.add_column("satudata_workflow_event", sa.Column("revision_id", sa.UnicodeText))


def downgrade():
    op.drop_column("satudata_workflow_event", "revision_id")
    op.drop_table("satudata_revision")
