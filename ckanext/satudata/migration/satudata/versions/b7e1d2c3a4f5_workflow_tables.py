"""Workflow state, audit trail and notifications

Revision ID: b7e1d2c3a4f5
Revises:
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "b7e1d2c3a4f5"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "satudata_workflow_state",
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("workflow", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("entered", TZ, nullable=False),
        sa.Column("due", TZ),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("satudata_workflow_state_state_idx", "satudata_workflow_state",
                    ["workflow", "state"])
    op.create_table(
        "satudata_workflow_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("workflow", sa.UnicodeText, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("timestamp", TZ, nullable=False),
        sa.Column("comment", sa.UnicodeText),
        sa.Column("field_notes", JSONB),
        sa.Column("due", TZ),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    # The audit trail is append-only. Deleting stays possible so that purging
    # a dataset (or a test database) cascades; changing a row never is.
    op.execute("""
        CREATE OR REPLACE FUNCTION satudata_refuse_update() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'satudata_workflow_event is append-only';
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER satudata_workflow_event_append_only
          BEFORE UPDATE ON satudata_workflow_event
          FOR EACH ROW EXECUTE FUNCTION satudata_refuse_update();
    """)
    op.create_table(
        "satudata_notification",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText,
                  sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE")),
        sa.Column("event_id", sa.UnicodeText,
                  sa.ForeignKey("satudata_workflow_event.id", ondelete="CASCADE")),
        sa.Column("created", TZ, nullable=False),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("read", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.drop_table("satudata_notification")
    op.execute("DROP TRIGGER satudata_workflow_event_append_only ON satudata_workflow_event;"
               "DROP FUNCTION satudata_refuse_update();")
    op.drop_table("satudata_workflow_event")
    op.drop_table("satudata_workflow_state")
