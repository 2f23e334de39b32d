"""Named positions (jabatan) of the Walidata's and the Pembina's members

Revision ID: b9c0d1e2f3a4
Revises: a8b9c0d1e2f3
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa

revision = "b9c0d1e2f3a4"
down_revision = "a8b9c0d1e2f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "satudata_jabatan",
        sa.Column("group_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("jabatan", sa.UnicodeText, nullable=False),
        sa.Column("assigned_by", sa.UnicodeText, nullable=False),
        sa.Column("assigned", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("satudata_jabatan")
