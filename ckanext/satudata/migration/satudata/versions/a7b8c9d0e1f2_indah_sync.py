"""Where each kegiatan stands at BPS's INDAH (id, status, last sync, BPS's notes)

Revision ID: a7b8c9d0e1f2
Revises: b9c0d1e2f3a4
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "a7b8c9d0e1f2"
down_revision = "b9c0d1e2f3a4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "satudata_indah_sync",
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("indah_id", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("error", sa.UnicodeText),
        sa.Column("retryable", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("queued", sa.DateTime(timezone=True)),
        sa.Column("synced", sa.DateTime(timezone=True)),
        sa.Column("reported_by", sa.UnicodeText),
        sa.Column("children", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("notes", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    )
    op.create_index("ix_satudata_indah_sync_status", "satudata_indah_sync", ["status"])


def downgrade():
    op.drop_table("satudata_indah_sync")
