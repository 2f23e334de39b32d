"""Create ckanext-validation's table (its own init-db is broken on CKAN 2.10+)

Revision ID: a1c0f3e2b9d4
Revises:
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON

revision = "a1c0f3e2b9d4"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # Same columns as ckanext.validation.model.Validation. A portal that ran
    # upstream's init-db on an older CKAN already has the table: keep it.
    if sa.inspect(op.get_bind()).has_table("validation"):
        return
    op.create_table(
        "validation",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, index=True),
        sa.Column("status", sa.UnicodeText, server_default="created"),
        sa.Column("created", sa.DateTime),
        sa.Column("finished", sa.DateTime),
        sa.Column("report", JSON),
        sa.Column("error", JSON),
    )


def downgrade():
    op.drop_table("validation")
