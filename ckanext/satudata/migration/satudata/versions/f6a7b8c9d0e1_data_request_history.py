"""Data requests keep their history (asked, changed, linked, delivered, cancelled)

Revision ID: f6a7b8c9d0e1
Revises: e5f6a7b8c9d0
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "f6a7b8c9d0e1"
down_revision = "e5f6a7b8c9d0"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("satudata_data_request", sa.Column(
        "history", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.add_column("satudata_data_request", sa.Column("linked", sa.DateTime(timezone=True)))


def downgrade():
    op.drop_column("satudata_data_request", "linked")
    op.drop_column("satudata_data_request", "history")
