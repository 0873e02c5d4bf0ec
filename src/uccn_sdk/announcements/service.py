"""The Secretariat's announcements: preview, schedule, change, pause, cancel; and firing them.

Scheduling stores the announcement with when it posts next; the scheduler leader
(``uccn_sdk.runtime``) wakes then and calls :meth:`Announcements.fire`. Firing queues one
outbox row per delivery under a key naming the announcement, room and occurrence, and
records every delivery as queued, skipped or missed, so it never happens twice however
often it fires.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from uccn_sdk.announcements import calendar, phrases, plan
from uccn_sdk.announcements.phrases import Phrase
from uccn_sdk.announcements.plan import Delivery, Slot, delivery_key
from uccn_sdk.announcements.repository import (
    MISSED,
    QUEUED,
    SKIPPED,
    DeliveryRecord,
    ScheduledAnnouncement,
)
from uccn_sdk.announcements.timing import occurrences
from uccn_sdk.audience import audience_cities, misnamed
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.chat.safety import MAX_TEXT, neutralise
from uccn_sdk.config import NetworkConfig
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.models import Announcement, AnnouncementState, Audience
from uccn_sdk.models.announcement import LocalTime, Once, QuietHours, Recurring
from uccn_sdk.store import Store, Transaction
from uccn_sdk.store.outbox import Queued


class AnnouncementError(UccnError):
    """An announcement cannot be scheduled or changed as asked; the message says why.

    A value that is a :class:`~uccn_sdk.announcements.phrases.Phrase` (a state) is said in
    the reader's language too."""

    def said(self, language: str) -> str:
        values = {
            name: value.said(language) if isinstance(value, Phrase) else value
            for name, value in self.values.items()
        }
        return UccnError(self.message, **values).said(language)


@dataclass(frozen=True)
class Preview:
    announcement: Announcement
    slots: list[Slot]
    """The rooms it reaches."""
    deliveries: list[Delivery]
    """Each room's next delivery, in the order due."""
    unreached: list[str]
    """Cities of the audience that no room reaches."""
    unknown_zone: list[str]
    """Cities whose time zone is unknown (a local-time delivery to them is skipped)."""


@dataclass
class Fired:
    queued: int = 0
    skipped: int = 0
    missed: int = 0


class Announcements:
    def __init__(
        self,
        store: Store,
        config: NetworkConfig,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store, self.config, self.clock = store, config, clock

    # -- the Secretariat's side ------------------------------------------------------------

    def preview(self, announcement: Announcement) -> Preview:
        """Who gets what, when, in local time and UTC; changes nothing. What `schedule`
        would refuse, the preview refuses too, with the same reason."""
        with self.store.begin() as tx:
            return self._checked(tx, announcement, self.clock())

    def schedule(self, announcement: Announcement) -> Preview:
        """Check and store a new announcement; the scheduler leader takes it from there."""
        now = self.clock()
        with self.store.begin() as tx:
            if tx.announcements.get(announcement.id):
                raise AnnouncementError(
                    N_(
                        "an announcement with the id {id} exists already; "
                        "choose another id, or change that one with `edit`"
                    ),
                    id=repr(announcement.id),
                )
            stored = announcement.model_copy(
                update={"state": AnnouncementState.SCHEDULED, "created_at": now}
            )
            preview = self._checked(tx, stored, now)
            tx.announcements.save(stored, next_due=_first_due(preview), processed_until=now)
        return preview

    def edit(
        self,
        announcement_id: str,
        *,
        text: str | None = None,
        audience: Audience | None = None,
        schedule: Once | Recurring | LocalTime | None = None,
        quiet_hours: QuietHours | None = None,
        skip_weekends: bool | None = None,
        skip_holidays: bool | None = None,
    ) -> Preview:
        """Change a scheduled or paused announcement; deliveries already made stay made."""
        changes = {
            name: value
            for name, value in {
                "text": text,
                "audience": audience,
                "schedule": schedule,
                "quiet_hours": quiet_hours,
                "skip_weekends": skip_weekends,
                "skip_holidays": skip_holidays,
            }.items()
            if value is not None
        }
        if not changes:
            raise AnnouncementError(N_("nothing to change: say what to change"))
        now = self.clock()
        with self.store.begin() as tx:
            current = self._require(tx, announcement_id).announcement
            if current.state not in (AnnouncementState.SCHEDULED, AnnouncementState.PAUSED):
                raise AnnouncementError(
                    N_(
                        "announcement {id} is {state}; "
                        "only a scheduled or paused one can be changed"
                    ),
                    id=repr(announcement_id),
                    state=phrases.state(current.state),
                )
            changed = Announcement.model_validate({**current.model_dump(), **changes})
            preview = self._checked(tx, changed, now)
            tx.announcements.save(changed, next_due=_first_due(preview), processed_until=now)
        return preview

    def pause(self, announcement_id: str) -> Announcement:
        """Hold an announcement: nothing is posted until it is resumed."""
        return self._move(announcement_id, AnnouncementState.PAUSED, {AnnouncementState.SCHEDULED})

    def resume(self, announcement_id: str) -> Announcement:
        """Schedule a paused announcement again; deliveries due while it was paused are not sent."""
        return self._move(announcement_id, AnnouncementState.SCHEDULED, {AnnouncementState.PAUSED})

    def cancel(self, announcement_id: str) -> Announcement:
        """Stop an announcement for good, with any of its posts not sent yet."""
        return self._move(
            announcement_id,
            AnnouncementState.CANCELLED,
            {AnnouncementState.SCHEDULED, AnnouncementState.PAUSED},
        )

    def listed(self) -> list[ScheduledAnnouncement]:
        with self.store.begin() as tx:
            return tx.announcements.listed()

    def get(self, announcement_id: str) -> ScheduledAnnouncement:
        with self.store.begin() as tx:
            return self._require(tx, announcement_id)

    def deliveries(self, announcement_id: str) -> list[DeliveryRecord]:
        """What became of each delivery: skipped or missed (with the reason), or queued and
        then sent, still queued, or failed (with the platform's refusal)."""
        with self.store.begin() as tx:
            self._require(tx, announcement_id)
            records = tx.deliveries.for_announcement(announcement_id)
            posts = tx.outbox.states_of_announcement(announcement_id)
        shown = []
        for record in records:
            key = delivery_key(announcement_id, record.platform, record.room, record.occurrence)
            state, error = posts.get(key, (None, None))
            if record.status == QUEUED and state == "sent":
                record = replace(record, status="sent")
            elif record.status == QUEUED and state == "failed":
                record = replace(record, status="failed", reason=(error or "")[:200] or None)
            shown.append(record)
        return shown

    # -- the scheduler's side --------------------------------------------------------------

    def basis(self) -> str:
        """A digest of what every announcement's timing depends on besides itself: the room map
        and the cities' zones, countries, fields and regions, and the rule timing a room of
        several cities. When it changes (rooms mapped while the bot was down, a city's zone
        corrected, a new rule), :meth:`replan` is due."""
        with self.store.begin() as tx:
            cities = [
                (c.id, c.timezone, c.country, c.region, [d.field for d in c.designations])
                for c in tx.cities.find()
            ]
        rooms = {name: room.model_dump(mode="json") for name, room in self.config.rooms.items()}
        basis = {"rooms": rooms, "cities": cities, "rule": plan.TIMING_RULE}
        text = json.dumps(basis, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def replan(self) -> int:
        """Work out again when each scheduled announcement posts next, with the rooms and
        cities as they are now; return how many changed. A room whose local hour came while
        the bot was down makes the announcement due at once, and firing it posts (or reports
        missed past the grace) what that room did not get."""
        changed = 0
        with self.store.begin() as tx:
            for found in tx.announcements.in_state(AnnouncementState.SCHEDULED):
                announcement = found.announcement
                slots, _unreached = plan.slots(
                    self.config, audience_cities(tx, announcement.audience)
                )
                after = found.processed_until or announcement.created_at or self.clock()
                next_due = plan.next_due(announcement, {s.zone for s in slots}, after)
                if next_due != found.next_due:
                    tx.announcements.advance(announcement.id, after, next_due)
                    changed += 1
        return changed

    def due(self, now: datetime) -> list[str]:
        """The scheduled announcements with a delivery due by `now`."""
        with self.store.begin() as tx:
            return tx.announcements.due(now)

    def postpone(self, announcement_id: str, until: datetime) -> None:
        """Try the announcement's next firing at `until` (its last one failed); what fell due
        meanwhile is caught up then, as after any downtime."""
        with self.store.begin() as tx:
            tx.announcements.postpone(announcement_id, until)

    def earliest_due(self) -> datetime | None:
        """When the next delivery of any scheduled announcement falls due."""
        with self.store.begin() as tx:
            return tx.announcements.earliest_due()

    def fire(self, announcement_id: str) -> Fired:
        """Queue every delivery due now; report those too late as missed. Safe to repeat."""
        now = self.clock()
        fired = Fired()
        with self.store.begin() as tx:
            found = tx.announcements.scheduled(announcement_id)
            if found is None or found.announcement.state is not AnnouncementState.SCHEDULED:
                return fired
            announcement = found.announcement
            after = found.processed_until or announcement.created_at or now
            slots, _unreached = plan.slots(self.config, audience_cities(tx, announcement.audience))
            due = plan.due_between(announcement, slots, after, now)
            self._deliver(tx, announcement, due, now, fired)
            next_due = plan.next_due(announcement, {s.zone for s in slots}, now)
            tx.announcements.advance(
                announcement_id,
                max(now, after),
                next_due,
                AnnouncementState.DONE if next_due is None else None,
            )
        return fired

    def _deliver(
        self,
        tx: Transaction,
        announcement: Announcement,
        due: list[Delivery],
        now: datetime,
        fired: Fired,
    ) -> None:
        """Record each delivery once and queue a post for those on time, in two statements."""
        records, by_key = [], {}
        for delivery in due:
            slot = delivery.slot
            status, reason = QUEUED, None
            if delivery.skipped is not None:
                status, reason = SKIPPED, str(delivery.skipped)
            elif now - delivery.due > self.config.announcement_grace:
                status, reason = MISSED, f"due {delivery.due:%Y-%m-%d %H:%M} UTC, past the grace"
            record = DeliveryRecord(
                announcement.id,
                slot.platform,
                slot.room,
                delivery.occurrence,
                delivery.due,
                status,
                reason,
            )
            records.append(record)
            by_key[(slot.platform, slot.room, delivery.occurrence)] = delivery
        posts = []
        text = neutralise(announcement.text)[:MAX_TEXT]
        for record in tx.deliveries.record(records):  # only those no one handled before
            if record.status == SKIPPED:
                fired.skipped += 1
            elif record.status == MISSED:
                fired.missed += 1
            else:
                delivery = by_key[(record.platform, record.room, record.occurrence)]
                city = delivery.slot.cities[0] if len(delivery.slot.cities) == 1 else None
                posts.append(
                    Queued(
                        delivery.key(announcement.id),
                        record.platform,
                        OutboundMessage(room=record.room, text=text),
                        kind="announcement",
                        city=city,
                        announcement=announcement.id,
                    )
                )
        fired.queued += tx.outbox.enqueue_many(posts)

    # -- helpers -----------------------------------------------------------------------------

    def _preview(self, tx: Transaction, announcement: Announcement) -> Preview:
        cities = audience_cities(tx, announcement.audience)
        if not cities:
            raise AnnouncementError(N_("the audience names no member city"))
        slots, unreached = plan.slots(self.config, cities)
        unknown = sorted(c.id for c in cities if c.timezone is None)
        now = self.clock()
        after = max(now, announcement.created_at or now)
        deliveries = plan.next_round(announcement, slots, after)
        return Preview(announcement, slots, deliveries, unreached, unknown)

    def _checked(self, tx: Transaction, announcement: Announcement, now: datetime) -> Preview:
        schedule = announcement.schedule
        if len(announcement.text) > MAX_TEXT:
            raise AnnouncementError(
                N_(
                    "the text is {length} characters; a post holds at most {most}: "
                    "shorten it, or link to the whole text"
                ),
                length=f"{len(announcement.text):,}",
                most=f"{MAX_TEXT:,}",
            )
        if problem := misnamed(tx, announcement.audience, AnnouncementError):
            raise problem
        if isinstance(schedule, Once) and schedule.at <= now:
            raise AnnouncementError(
                N_("{moment} is in the past; give a future moment"),
                moment=schedule.at.isoformat(timespec="minutes"),
            )
        if isinstance(schedule, Recurring) and next(occurrences(schedule, None, now), None) is None:
            raise AnnouncementError(
                N_("the cron rule {cron} never fires; check its day and month"),
                cron=repr(schedule.cron),
            )
        quiet = announcement.quiet_hours
        if isinstance(schedule, LocalTime) and quiet is not None and quiet.holds(schedule.at):
            raise AnnouncementError(
                N_("{at} local time falls in the quiet hours ({start}–{end}); choose another hour"),
                at=f"{schedule.at:%H:%M}",
                start=f"{quiet.start:%H:%M}",
                end=f"{quiet.end:%H:%M}",
            )
        preview = self._preview(tx, announcement)
        if not preview.slots:
            raise AnnouncementError(
                N_("no room reaches the audience: add its cities' or fields' rooms to the room map")
            )
        if not preview.deliveries:
            raise AnnouncementError(
                N_("this moment has passed in every target city; give a later one")
            )
        if announcement.skip_weekends and isinstance(schedule, LocalTime):
            _check_working_days(schedule, preview.slots, now.year)
        return preview

    def _move(
        self, announcement_id: str, state: AnnouncementState, allowed: set[AnnouncementState]
    ) -> Announcement:
        now = self.clock()
        with self.store.begin() as tx:
            found = self._require(tx, announcement_id)
            current = found.announcement
            if current.state not in allowed:
                raise AnnouncementError(
                    N_("announcement {id} is {state}; it cannot be made {new}"),
                    id=repr(announcement_id),
                    state=phrases.state(current.state),
                    new=phrases.state(state),
                )
            moved = current.model_copy(update={"state": state})
            next_due, processed = found.next_due, found.processed_until or now
            if state is AnnouncementState.SCHEDULED:
                next_due, processed = _first_due(self._preview(tx, moved)), now
            tx.announcements.save(moved, next_due=next_due, processed_until=processed)
            if state is AnnouncementState.CANCELLED:
                tx.outbox.withdraw(announcement_id)
        return moved

    @staticmethod
    def _require(tx: Transaction, announcement_id: str) -> ScheduledAnnouncement:
        found = tx.announcements.scheduled(announcement_id)
        if found is None:
            raise AnnouncementError(
                N_("no announcement {id}; `uccn announce list` shows them"),
                id=repr(announcement_id),
            )
        return found


def _check_working_days(schedule: LocalTime, slots: list[Slot], year: int) -> None:
    """Refuse days (of the week, or a date) that are a weekend in every target city when
    weekends are skipped: such an announcement would never be posted."""
    days = schedule.days()
    if isinstance(days, date):
        year, days = days.year, frozenset({days.weekday()})
    if all(days <= calendar.weekend(country, year) for slot in slots for country in slot.countries):
        raise AnnouncementError(
            N_(
                "“{day}” is a weekend day in every target city and weekends are skipped: "
                "it would never be posted; choose a working day, or do not skip weekends"
            ),
            day=schedule.day,
        )


def _first_due(preview: Preview) -> datetime | None:
    return min((d.due for d in preview.deliveries), default=None)
