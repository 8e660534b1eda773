"""Report lifecycle: states, typed actions, the transition function and the event log fold.

This is a pure domain module: no Telegram, no SQL, no I/O and no clock. Every timestamp is
passed in by the caller and must be timezone-aware.

Timeline and KPI
----------------
``t0`` the card reached the dispatchers' group (``RECEIVED``), ``t1`` a dispatcher claimed it
(``CLAIMED``), ``t2`` it was dispatched to an agency/OPD (``DISPATCHED``), ``t3`` a unit reported
en route (``EN_ROUTE``), ``t4`` an officer reported on scene (``ON_SCENE``). The city's KPI is the
response time ``t4 - t0 <= 10 minutes``.

::

    SUBMITTED -> RECEIVED -> CLAIMED -> DISPATCHED -> EN_ROUTE -> ON_SCENE
                                            |                        ^
                                            +------------------------+  (EN_ROUTE may be skipped)

    RECEIVED .. ON_SCENE -> CLOSED   (Close, see the disposition table)
    SUBMITTED, RECEIVED, CLAIMED -> CLOSED   (cancelled by the reporter)

Allowed transitions (anything else raises :class:`IllegalTransition`)
---------------------------------------------------------------------
======================  =============================  ==================================
Action                  From                           To / effect
======================  =============================  ==================================
``submit()``            (nothing)                      SUBMITTED (first event of the log)
``CardDelivered``       SUBMITTED                      RECEIVED, sets t0
``Claim``               RECEIVED                       CLAIMED, sets t1 and the owner
``Reassign``            CLAIMED..ON_SCENE              same state, new owner (t1 unchanged)
``Dispatch``            CLAIMED                        DISPATCHED, sets t2 and the agency
``Dispatch`` (other     DISPATCHED..ON_SCENE           same state, agency added as backup
agency)                                                (t2 unchanged)
``Dispatch`` (same      DISPATCHED..ON_SCENE           same state, the unit note recorded
agency, a new unit                                     (``unit_noted``; without a new note:
note)                                                  ``already_in_state``)
``EnRoute``             DISPATCHED                     EN_ROUTE, sets t3
``OnScene``             DISPATCHED, EN_ROUTE           ON_SCENE, sets t4
``Close``               RECEIVED..ON_SCENE (see        CLOSED, sets closed_at and the
                        the disposition table)         disposition
``CancelByReporter``    SUBMITTED, RECEIVED, CLAIMED   CLOSED (cancelled_by_reporter)
======================  =============================  ==================================

Decisions:

* **No claim from SUBMITTED.** The card has not reached the group yet, so no dispatcher can
  have seen it; pressing Claim there is refused with ``not_delivered``. Only ``CardDelivered``
  and ``CancelByReporter`` are accepted in SUBMITTED.
* **Ownership.** Once claimed, only the owner may ``Dispatch``, ``Close`` or (on behalf of a
  unit, e.g. relayed by radio) press ``EnRoute``/``OnScene``; others get ``claimed_by_other``.
  Closing an *unclaimed* RECEIVED card (triage: duplicate, prank, ...) is open to any dispatcher.
* **Takeover.** Shift hand-over is explicit: ``Reassign(actor, to)`` is allowed from CLAIMED up to
  ON_SCENE by any dispatcher (a supervisor handing over, or a colleague taking over). It changes
  the owner only; t1 keeps measuring the first claim. Claim by a second dispatcher is always a
  conflict (``already_claimed``), never an implicit takeover.
* **Skipping EN_ROUTE** is allowed: officers often forget to press it. Then t3 is ``None``;
  turnout and travel times are ``None`` but the response time t4 - t0 is still defined.
* **Multi-agency.** A second ``Dispatch`` to a *different* agency while DISPATCHED/EN_ROUTE/
  ON_SCENE records a backup agency (``dispatch_added``) without touching t2. t3/t4 are the first
  unit's times, whichever agency it belongs to (the KPI is "an officer on scene"). Officers may
  press EnRoute/OnScene only for a report dispatched to their agency.
* **Officers do not close reports**; closing is a dispatcher decision.

Dispositions allowed per state (``Close``)
------------------------------------------
=========================  ========  =======  ==========  ========  ========
Disposition                RECEIVED  CLAIMED  DISPATCHED  EN_ROUTE  ON_SCENE
=========================  ========  =======  ==========  ========  ========
resolved                   no        yes      yes         yes       yes
duplicate (needs ticket)   yes       yes      yes         yes       yes
transferred (needs target) yes       yes      yes         yes       yes
cancelled_by_reporter      yes       yes      no          no        no
false_alarm                yes       yes      yes         yes       yes
prank                      yes       yes      yes         yes       yes
no_further_action          yes       yes      yes         yes       yes
=========================  ========  =======  ==========  ========  ========

``resolved`` from CLAIMED covers a case handled entirely by phone (advice given, no unit
needed); it is refused from an unclaimed RECEIVED card because someone must own a resolution.
The triage dispositions (duplicate, transferred, false alarm, prank, no further action) are
allowed from every open state. ``cancelled_by_reporter`` - whether recorded by the reporter
(``CancelByReporter``) or by a dispatcher after a phone call (``Close``) - is only possible
before dispatch (``cancel_after_dispatch``); after dispatch the dispatcher decides (e.g.
``no_further_action`` or ``false_alarm``) because units are already moving.

Idempotency
-----------
An action whose outcome already holds raises :class:`IllegalTransition` with ``code ==
"already_in_state"`` (exact repeat: Claim by the owner while CLAIMED, the same Close twice, ...)
or ``"already_past"`` (a stale button: Claim by the owner after dispatch, EnRoute after on
scene, CardDelivered twice). Both have ``exc.noop is True``: the UI says "already done" and
stores nothing. Every other code is a real refusal.

Error codes: ``already_in_state``, ``already_past``, ``not_delivered``, ``not_claimed``,
``already_claimed``, ``claimed_by_other``, ``not_dispatched``, ``agency_not_dispatched``,
``disposition_not_allowed``, ``cancel_after_dispatch``, ``not_reporter``,
``duplicate_of_self``, ``report_closed``. ``exc.params`` always holds ``action`` and ``state``
plus code-specific values (see :class:`IllegalTransition`).

Layout: ``states`` (states, dispositions), ``actions`` (actors, actions), ``events`` (the
log, the snapshot, :func:`fold` / :func:`replay`), ``rules`` (:func:`apply`, one rule per
action), ``errors`` (:class:`IllegalTransition`), ``times`` (response times). Import from
this package: ``from bot.domain import lifecycle``.

Programming errors (naive datetimes, an event earlier than the last one, a Close without its
required ticket/target) raise ``ValueError`` instead.
"""

from __future__ import annotations

from bot.domain.lifecycle.actions import (
    Action,
    Actor,
    ActorKind,
    CancelByReporter,
    CardDelivered,
    Claim,
    Close,
    Dispatch,
    Dispatcher,
    EnRoute,
    Officer,
    OnScene,
    Reassign,
    ReporterActor,
    System,
)
from bot.domain.lifecycle.errors import NOOP_CODES, IllegalTransition
from bot.domain.lifecycle.events import (
    Event,
    EventKind,
    EventValue,
    ReportSnapshot,
    Transition,
    fold,
    replay,
)
from bot.domain.lifecycle.rules import apply, submit
from bot.domain.lifecycle.states import (
    OPEN_STATES,
    RESPONSE_TARGET,
    Disposition,
    ReportState,
    allowed_dispositions,
)
from bot.domain.lifecycle.times import ResponseTimes, response_times

__all__ = [
    "NOOP_CODES",
    "OPEN_STATES",
    "RESPONSE_TARGET",
    "Action",
    "Actor",
    "ActorKind",
    "CancelByReporter",
    "CardDelivered",
    "Claim",
    "Close",
    "Dispatch",
    "Dispatcher",
    "Disposition",
    "EnRoute",
    "Event",
    "EventKind",
    "EventValue",
    "IllegalTransition",
    "Officer",
    "OnScene",
    "Reassign",
    "ReportSnapshot",
    "ReportState",
    "ReporterActor",
    "ResponseTimes",
    "System",
    "Transition",
    "allowed_dispositions",
    "apply",
    "fold",
    "replay",
    "response_times",
    "submit",
]
