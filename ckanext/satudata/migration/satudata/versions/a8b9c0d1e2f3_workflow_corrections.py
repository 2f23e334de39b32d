"""Reviewers' corrections: field-level before/after of their edits

Revision ID: a8b9c0d1e2f3
Revises: f6a7b8c9d0e1
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "a8b9c0d1e2f3"
down_revision = "f6a7b8c9d0e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "satudata_workflow_correction",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("workflow", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", JSONB, nullable=False),
    )
    # Append-only, like the trail (the function comes from the workflow tables' migration).
    op.execute("CREATE TRIGGER satudata_workflow_correction_append_only "
               "BEFORE UPDATE ON satudata_workflow_correction "
               "FOR EACH ROW EXECUTE FUNCTION satudata_refuse_update();")


def downgrade():
    op.drop_table("satudata_workflow_correction")
