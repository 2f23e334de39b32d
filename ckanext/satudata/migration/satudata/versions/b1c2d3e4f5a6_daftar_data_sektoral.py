"""Daftar Data Sektoral: the Walidata's list of data to collect for a period,
whose sending makes the data requests (SOP Tanjab step 1)

Revision ID: b1c2d3e4f5a6
Revises: a7b8c9d0e1f2
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa

revision = "b1c2d3e4f5a6"
down_revision = "a7b8c9d0e1f2"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "satudata_daftar",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("period", sa.UnicodeText, nullable=False),
        sa.Column("notes", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="draft"),
        sa.Column("created", TZ, nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("modified", TZ, nullable=False),
        sa.Column("due", TZ, nullable=False),
        sa.Column("entry_due", TZ),
        sa.Column("sent", TZ),
        sa.Column("sent_by", sa.UnicodeText),
        sa.Column("late", sa.Boolean),
    )
    op.create_table(
        "satudata_daftar_entry",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("daftar_id", sa.UnicodeText,
                  sa.ForeignKey("satudata_daftar.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("standar_data", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("satuan", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("frekuensi", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("notes", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("dataset_type", sa.UnicodeText, nullable=False, server_default="dataset"),
        sa.Column("due", TZ),
        sa.Column("created", TZ, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("request_id", sa.UnicodeText,
                  sa.ForeignKey("satudata_data_request.id", ondelete="SET NULL"), unique=True),
    )


def downgrade():
    op.drop_table("satudata_daftar_entry")
    op.drop_table("satudata_daftar")
