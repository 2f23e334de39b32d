"""Tables of the review lifecycle. Created by migration/satudata (alembic)."""
from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

# CKAN's own base: the foreign keys to package and user resolve, and CKAN's
# test helpers clean these tables with the rest.
from ckan.model.base import BaseModel as Base

from ckanext.satudata.workflow import calendar


def _uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime.datetime:
    """Now, aware UTC: the office calendar's clock, so tests move the whole portal's time."""
    return calendar.now()


class WorkflowState(Base):
    """Where a dataset stands in its workflow: one row per dataset.

    ``version`` grows with every transition; a transition names the version
    it saw, so of two reviewers acting at once exactly one wins.
    """
    __tablename__ = "satudata_workflow_state"

    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           primary_key=True)
    workflow = sa.Column(sa.UnicodeText, nullable=False)
    state = sa.Column(sa.UnicodeText, nullable=False)
    entered = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    due = sa.Column(sa.DateTime(timezone=True))
    version = sa.Column(sa.Integer, nullable=False, default=1)


class WorkflowEvent(Base):
    """The audit trail: one row per transition, never updated (a trigger refuses)."""
    __tablename__ = "satudata_workflow_event"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    workflow = sa.Column(sa.UnicodeText, nullable=False)
    action = sa.Column(sa.UnicodeText, nullable=False)
    from_state = sa.Column(sa.UnicodeText)
    to_state = sa.Column(sa.UnicodeText, nullable=False)
    user_id = sa.Column(sa.UnicodeText, nullable=False)
    timestamp = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    comment = sa.Column(sa.UnicodeText)
    field_notes = sa.Column(JSONB)
    due = sa.Column(sa.DateTime(timezone=True))
    late = sa.Column(sa.Boolean, nullable=False, default=False)
    #: Set on events copied from an applied revision: the revision they happened on.
    revision_id = sa.Column(sa.UnicodeText)
    #: Set on steps into a tombstone state: the tombstone's fields as they were then
    #: (tombstone.py), so that later edits of the dataset do not rewrite it.
    snapshot = sa.Column(JSONB)


class WorkflowCorrection(Base):
    """A reviewer's edit of a dataset it holds (an SOP's "checks and corrects"):
    field-level before/after, shown with the audit trail to the producer.

    ``changes``: ``[{target, field, before, after}]``; ``target`` is a dataset
    field's name, ``resource:<id>`` or ``resource:<id>:<column>`` (the keys of a
    return's notes), ``field`` the resource or variable key changed (None for a
    dataset field). Append-only like the trail.
    """
    __tablename__ = "satudata_workflow_correction"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    workflow = sa.Column(sa.UnicodeText, nullable=False)
    state = sa.Column(sa.UnicodeText, nullable=False)
    user_id = sa.Column(sa.UnicodeText, nullable=False)
    timestamp = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    changes = sa.Column(JSONB, nullable=False)


class Jabatan(Base):
    """A member's named position in the Walidata's or the Pembina's organization
    (Kepala Seksi, Kepala Bidang…), given by that organization's admin. Workflow roles
    that name a ``jabatan`` are played by its holders (workflow/roles.py)."""
    __tablename__ = "satudata_jabatan"

    group_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                         primary_key=True)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        primary_key=True)
    jabatan = sa.Column(sa.UnicodeText, nullable=False)
    assigned_by = sa.Column(sa.UnicodeText, nullable=False)
    assigned = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)


class Notification(Base):
    """In-app notices; e-mails are sent alongside when the mailer is configured."""
    __tablename__ = "satudata_notification"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    user_id = sa.Column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"))
    event_id = sa.Column(sa.UnicodeText, sa.ForeignKey("satudata_workflow_event.id",
                                                       ondelete="CASCADE"))
    created = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    subject = sa.Column(sa.UnicodeText, nullable=False)
    body = sa.Column(sa.UnicodeText, nullable=False)
    read = sa.Column(sa.Boolean, nullable=False, default=False)


class Revision(Base):
    """A staged revision: a private copy of a published dataset going through the
    workflow; applied to the original when it reaches a public state.

    ``status``: open, applied, rejected (its workflow ended unpublished) or discarded.
    ``resource_map``: revision resource id → original resource id, for the copies.
    """
    __tablename__ = "satudata_revision"

    revision_id = sa.Column(sa.UnicodeText, primary_key=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    status = sa.Column(sa.UnicodeText, nullable=False, default="open")
    created = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    created_by = sa.Column(sa.UnicodeText, nullable=False)
    closed = sa.Column(sa.DateTime(timezone=True))
    resource_map = sa.Column(JSONB, nullable=False, default=dict)


class DataRequest(Base):
    """A request from the Walidata to an OPD for a dataset (SOP 000 step 1).

    ``status``: open, fulfilled (``package_id`` delivered at ``fulfilled``, ``late``
    when after ``due``) or cancelled. A purged dataset leaves the request
    fulfilled with ``package_id`` empty: the delivery happened.

    An open request may already have its dataset ``linked`` (a draft the OPD is
    filling in): it is delivered only when that dataset is submitted.
    ``history``: ``[{action, user_id, timestamp, ...}]``, oldest first.
    """
    __tablename__ = "satudata_data_request"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False, default="")
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    dataset_type = sa.Column(sa.UnicodeText, nullable=False, default="dataset")
    due = sa.Column(sa.DateTime(timezone=True), nullable=False)
    status = sa.Column(sa.UnicodeText, nullable=False, default="open")
    created = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    created_by = sa.Column(sa.UnicodeText, nullable=False)
    modified = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL"))
    fulfilled = sa.Column(sa.DateTime(timezone=True))
    fulfilled_by = sa.Column(sa.UnicodeText)
    late = sa.Column(sa.Boolean)
    cancelled = sa.Column(sa.DateTime(timezone=True))
    cancel_reason = sa.Column(sa.UnicodeText)
    linked = sa.Column(sa.DateTime(timezone=True))
    history = sa.Column(JSONB, nullable=False, default=list)


class IndahSync(Base):
    """Where a kegiatan stands at BPS's INDAH: one row per kegiatan once reported.

    ``status``: INDAH's (SUBMITTED … APPROVED) once INDAH answered; ``QUEUED``,
    ``SENDING`` and ``ERROR`` are the portal's own. ``children``: the INDAH ids of
    the MS-Var and MS-Ind sent with it (``{"variabel:<resource>:<column>": id,
    "indikator:<package id>": id}``), so a correction updates them instead of
    adding copies. ``notes``: BPS's review notes as INDAH returned them.
    """
    __tablename__ = "satudata_indah_sync"

    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           primary_key=True)
    indah_id = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default="QUEUED")
    error = sa.Column(sa.UnicodeText)
    #: The ERROR was INDAH being down or slow: the next round (indah-pull) sends again.
    retryable = sa.Column(sa.Boolean, nullable=False, default=False)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    queued = sa.Column(sa.DateTime(timezone=True))
    synced = sa.Column(sa.DateTime(timezone=True))
    reported_by = sa.Column(sa.UnicodeText)
    children = sa.Column(JSONB, nullable=False, default=dict)
    notes = sa.Column(JSONB, nullable=False, default=list)


class DaftarDataSektoral(Base):
    """The Walidata's list of the sectoral data to collect for a period (SOP
    Tanjab step 1, "Daftar Data Sektoral"): drafted, then sent, which makes one
    data request per entry.

    ``state``: draft or sent. ``due``: the daftar's own SLA (the workflow's
    ``daftar_sla`` from ``created``); ``late``: sent after it. ``entry_due``:
    the default due date of its entries' requests (None: the request SLA).
    """
    __tablename__ = "satudata_daftar"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    period = sa.Column(sa.UnicodeText, nullable=False)
    notes = sa.Column(sa.UnicodeText, nullable=False, default="")
    state = sa.Column(sa.UnicodeText, nullable=False, default="draft")
    created = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    created_by = sa.Column(sa.UnicodeText, nullable=False)
    modified = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    due = sa.Column(sa.DateTime(timezone=True), nullable=False)
    entry_due = sa.Column(sa.DateTime(timezone=True))
    sent = sa.Column(sa.DateTime(timezone=True))
    sent_by = sa.Column(sa.UnicodeText)
    late = sa.Column(sa.Boolean)


class DaftarEntry(Base):
    """One line of a daftar: what one OPD is to deliver. The standar data
    fields are free hints for the OPD (the SDI standar data it follows, its
    unit, how often). ``request_id``: the data request sending made of it."""
    __tablename__ = "satudata_daftar_entry"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    daftar_id = sa.Column(sa.UnicodeText, sa.ForeignKey("satudata_daftar.id", ondelete="CASCADE"),
                          nullable=False, index=True)
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                                nullable=False)
    title = sa.Column(sa.UnicodeText, nullable=False)
    standar_data = sa.Column(sa.UnicodeText, nullable=False, default="")
    satuan = sa.Column(sa.UnicodeText, nullable=False, default="")
    frekuensi = sa.Column(sa.UnicodeText, nullable=False, default="")
    notes = sa.Column(sa.UnicodeText, nullable=False, default="")
    dataset_type = sa.Column(sa.UnicodeText, nullable=False, default="dataset")
    due = sa.Column(sa.DateTime(timezone=True))
    created = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    #: The order the Walidata listed them in (rows added at once share ``created``).
    position = sa.Column(sa.Integer, nullable=False, default=0)
    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("satudata_data_request.id",
                                                         ondelete="SET NULL"), unique=True)
