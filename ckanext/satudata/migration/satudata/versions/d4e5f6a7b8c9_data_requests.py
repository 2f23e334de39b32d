"""Data requests from the Walidata to OPDs (SOP 000 step 1)

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa

revision = "d4e5f6a7b8c9"
down_revision = "c3d4e5f6a7b8"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "satudata_data_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("dataset_type", sa.UnicodeText, nullable=False, server_default="dataset"),
        sa.Column("due", TZ, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="open"),
        sa.Column("created", TZ, nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("modified", TZ, nullable=False),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("fulfilled", TZ),
        sa.Column("fulfilled_by", sa.UnicodeText),
        sa.Column("late", sa.Boolean),
        sa.Column("cancelled", TZ),
        sa.Column("cancel_reason", sa.UnicodeText),
    )
    op.create_index("satudata_data_request_status_due_idx", "satudata_data_request",
                    ["status", "due"])


def downgrade():
    op.drop_table("satudata_data_request")
