import DeskCore
@testable import DeskServer
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Delivery without sockets: events go in, and each reader's messages are read off the parcels that come out.
@Suite("Live delivery per audience")
struct RealtimeDeliveryTests {
    @Test("a booker's name reaches only those the privacy setting allows; the booker's copies say mine")
    func bookerNames() async throws {
        let w = World(visibility: .managers)
        let run = await w.deliver([.booking(w.booking(.created, by: w.bob.viewer.userId, desk: w.desks[0], day: 23, from: 9, to: 12))],
                                  follows: [.room(w.openSpace): [w.ann, w.carl, w.rita, w.bob], .user(w.bob.viewer.userId): [w.bob]])
        let room = Topic.room(w.openSpace).name
        for colleague in [w.ann, w.carl] {
            let seen = try #require(run.inbox(colleague).only)
            #expect(seen.type == "booking.created" && seen.topic == room)
            #expect(seen["booking", "desk_id"] as? String == w.desks[0].uuidString)
            #expect(seen["booking", "user_id"] == nil && seen["booking", "user"] == nil)
            #expect(seen["mine"] as? Bool == false)
        }
        let manager = try #require(run.inbox(w.rita).only)
        #expect(manager["booking", "user_id"] as? String == w.bob.viewer.userId.uuidString)
        #expect(manager["booking", "user", "username"] as? String == "bob")
        #expect(manager["mine"] as? Bool == false)
        let own = run.inbox(w.bob)
        #expect(own.map(\.topic) == [room, "me"])
        #expect(own.allSatisfy { $0["mine"] as? Bool == true && $0["booking", "user", "display_name"] as? String == "Bob Booker" })
        // One frame per audience: the two colleagues share theirs.
        #expect(run.parcels.map { $0.recipients.map(\.name).sorted() } == [["ann", "carl"], ["rita"], ["bob"], ["bob"]])
        #expect(w.facts.lookups.names == 1)

        // Where everyone may see names, colleagues see them too.
        let open = World(visibility: .everyone)
        let everyone = await open.deliver([.booking(open.booking(.created, by: open.bob.viewer.userId, desk: open.desks[0], day: 23, from: 9, to: 12))],
                                          follows: [.room(open.openSpace): [open.ann]])
        #expect(try #require(everyone.inbox(open.ann).only)["booking", "user", "username"] as? String == "bob")
    }

    @Test("a gated room's events and counts reach only those who pass its gate")
    func gatedRoom() async throws {
        let w = World(visibility: .everyone)
        let event = w.booking(.created, by: w.gus.viewer.userId, desk: w.labDesk, room: w.lab, day: 23, from: 9, to: 12)
        let run = await w.deliver([.booking(event)], follows: [.room(w.lab): [w.ann, w.gus], .location(w.berlin): [w.ann, w.gus]])
        #expect(run.inbox(w.ann).isEmpty)
        #expect(run.inbox(w.gus).map(\.type) == ["booking.created", "booking.created", "availability"])
        #expect(run.inbox(w.gus).last?["room", "room_id"] as? String == w.lab.uuidString)
    }

    @Test("location followers get the room's free-desk counts for every local day a change touched, per viewer")
    func dayCounts() async throws {
        let w = World(visibility: .everyone)
        // Moved from the 24th to the 23rd; the 23rd's booking is the one in the database now.
        var moved = w.booking(.changed, by: w.bob.viewer.userId, desk: w.desks[0], day: 23, from: 9, to: 12)
        moved.previous = w.range(day: 24, from: 9, to: 12)
        let run = await w.deliver([.booking(moved)], follows: [.location(w.berlin): [w.ann, w.pat], .room(w.openSpace): [w.carl]],
                                  busy: [w.desks[0]: [moved.range]])
        #expect(w.facts.lookups.dates == [[LocalDate(year: 2026, month: 3, day: 23), LocalDate(year: 2026, month: 3, day: 24)]])
        let ann = run.inbox(w.ann)
        #expect(ann.map(\.type) == ["booking.changed", "availability", "availability"])
        #expect(ann.dropFirst().map { $0["date"] as? String } == ["2026-03-23", "2026-03-24"])
        // Desk 0 is partly booked on the 23rd; desk 2 is pat's permanent desk, which nobody else can book.
        #expect(counts(ann[1]) == Counts(free: 1, partlyFree: 1, unavailable: 1))
        #expect(counts(ann[2]) == Counts(free: 2, partlyFree: 0, unavailable: 1))
        #expect(ann[1]["room", "partly_free_desk_ids"] as? [String] == [w.desks[0].uuidString])
        let pat = run.inbox(w.pat)
        #expect(counts(pat[1]) == Counts(free: 2, partlyFree: 1, unavailable: 0))
        #expect(counts(pat[2]) == Counts(free: 3, partlyFree: 0, unavailable: 0))
        // Room followers see the booking, not location counts.
        #expect(run.inbox(w.carl).map(\.type) == ["booking.changed"])
    }

    @Test("maintenance and permanent desks reach the room's and location's followers; the assignee's copies say mine")
    func roomChanges() async throws {
        let w = World(visibility: .everyone)
        let pat = w.pat.viewer.userId
        let run = await w.deliver(
            [.maintenance(MaintenanceEvent(roomId: w.openSpace, locationId: w.berlin, reason: "painting")),
             .permanent(PermanentEvent(deskId: w.desks[1], roomId: w.openSpace, locationId: w.berlin, userId: pat))],
            follows: [.room(w.openSpace): [w.ann, w.pat], .location(w.berlin): [w.carl], .user(pat): [w.pat]])
        let ann = run.inbox(w.ann)
        #expect(ann.map(\.type) == ["room.maintenance", "desk.permanent"])
        #expect(ann[0]["under_maintenance"] as? Bool == true && ann[0]["reason"] as? String == "painting")
        #expect(ann[1]["permanent"] as? Bool == true && ann[1]["mine"] as? Bool == false)
        #expect(run.inbox(w.pat).filter { $0.type == "desk.permanent" }.map { "\($0.topic ?? "") \($0["mine"] as? Bool == true)" }
                    == ["\(Topic.room(w.openSpace).name) true", "me true"])
        // Both change every day; the location's followers get today's counts once for the room.
        #expect(run.inbox(w.carl).map(\.type) == ["room.maintenance", "desk.permanent", "availability"])
        #expect(run.inbox(w.carl).last?["date"] as? String == "2026-03-23")
    }

    @Test("holds and desk status say whose they are; status is not sent on anyone's own topic")
    func holdsAndStatus() async throws {
        let w = World(visibility: .everyone)
        let bob = w.bob.viewer.userId
        let hold = HoldEvent(.acquired, Hold(deskId: w.desks[1], userId: bob, firstAcquiredAt: w.now, expiresAt: w.now.addingTimeInterval(300)),
                             roomId: w.openSpace, locationId: w.berlin)
        let status = DeskStatusEvent(deskId: w.desks[1], roomId: w.openSpace, locationId: w.berlin, status: .held, occupantId: bob, at: w.now)
        let events: [DomainEvent] = [.hold(hold), .deskStatus(status)]
        let run = await w.deliver(events, follows: [.room(w.openSpace): [w.ann, w.bob], .user(bob): [w.bob]])
        #expect(run.inbox(w.ann).map(\.type) == events.map(\.type))
        #expect(run.inbox(w.ann).allSatisfy { $0["mine"] as? Bool == false })
        #expect(run.inbox(w.ann)[0]["hold", "desk_id"] as? String == w.desks[1].uuidString)
        #expect(run.inbox(w.ann)[1]["status"] as? String == "held")
        #expect(run.inbox(w.bob).map { "\($0.type ?? "") \($0.topic ?? "")" }
                    == ["hold.acquired \(Topic.room(w.openSpace).name)", "hold.acquired me", "desk.status \(Topic.room(w.openSpace).name)"])
        #expect(run.inbox(w.bob).allSatisfy { $0["mine"] as? Bool == true })
        // Neither changes what is free: no counts were read.
        #expect(w.facts.lookups.dates.isEmpty)
    }

    @Test("requests and autopilot news go to their owner alone, rounds to the location's followers, without reading rooms")
    func personalAndRounds() async throws {
        let w = World(visibility: .everyone)
        let bob = w.bob.viewer.userId
        let day = LocalDate(year: 2026, month: 3, day: 24)
        let events: [DomainEvent] = [
            .request(RequestEvent(requestId: UUID(), userId: bob, locationId: w.berlin, day: day, status: "won", deskId: w.desks[0],
                                  bookingId: UUID(), reason: nil)),
            .autopilot(.ruleChanged(.init(ruleId: UUID(), userId: bob, status: .paused, reason: "no desks"))),
            .autopilot(.logged(AutopilotLogRecord(id: UUID(), userId: bob, ruleId: nil, requestId: nil, at: w.now, level: .info, message: "Booked"))),
            .round(RoundEvent(roundId: UUID(), locationId: w.berlin, day: day)),
        ]
        let run = await w.deliver(events, follows: [.user(bob): [w.bob], .user(w.ann.viewer.userId): [w.ann],
                                                    .location(w.berlin): [w.ann, w.carl], .room(w.openSpace): [w.rita]])
        #expect(run.inbox(w.bob).map(\.type) == ["request.updated", "autopilot.rule", "autopilot.log"])
        #expect(run.inbox(w.bob).allSatisfy { $0.topic == "me" })
        #expect(run.inbox(w.bob)[0]["request", "status"] as? String == "won")
        #expect(run.inbox(w.bob)[1]["rule", "reason"] as? String == "no desks")
        #expect(run.inbox(w.bob)[2]["entry", "message"] as? String == "Booked")
        for follower in [w.ann, w.carl] {
            #expect(run.inbox(follower).map(\.type) == ["round.committed"])
            #expect(run.inbox(follower).first?["date"] as? String == "2026-03-24")
        }
        #expect(run.inbox(w.rita).isEmpty)
        #expect(w.facts.lookups.rooms == 0)
    }

    @Test("nothing is read for an event nobody follows")
    func unfollowed() async throws {
        let w = World(visibility: .everyone)
        let run = await w.deliver([.booking(w.booking(.created, by: w.bob.viewer.userId, desk: w.desks[0], day: 23, from: 9, to: 12))],
                                  follows: [.room(w.lab): [w.gus], .user(w.ann.viewer.userId): [w.ann]])
        #expect(run.parcels.isEmpty)
        #expect(w.facts.lookups == Lookups())
    }

    @Test("booker names are looked up once and again after access changes")
    func namesRefreshAfterAccessChanges() async throws {
        let w = World(visibility: .everyone)
        let bob = w.bob.viewer.userId
        let follows: [Topic: [Reader]] = [.room(w.openSpace): [w.ann]]
        _ = await w.deliver([.booking(w.booking(.created, by: bob, desk: w.desks[0], day: 23, from: 9, to: 12)),
                             .booking(w.booking(.created, by: bob, desk: w.desks[1], day: 24, from: 9, to: 12))], follows: follows)
        #expect(w.facts.lookups.names == 1)
        w.facts.rename(bob, to: BookerDTO(username: "robert", displayName: "Robert Booker"))
        let stale = await w.deliver([.booking(w.booking(.created, by: bob, desk: w.desks[2], day: 25, from: 9, to: 12))], follows: follows)
        #expect(stale.inbox(w.ann).first?["booking", "user", "username"] as? String == "bob")
        let fresh = await w.deliver([.accessChanged, .booking(w.booking(.created, by: bob, desk: w.desks[2], day: 25, from: 9, to: 12))],
                                    follows: follows)
        #expect(w.facts.lookups.names == 2)
        #expect(fresh.inbox(w.ann).first?["booking", "user", "username"] as? String == "robert")
    }

    @Test("local days of changes: in the location's zone, each day once, at most a month")
    func localDays() {
        let berlin = ZonedCalendar(timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let late = berlin.instant(on: LocalDate(year: 2026, month: 3, day: 23), at: LocalTime(hour: 23))
        // 23:00–01:00 in Berlin spans two local days (though one day in UTC).
        let night = TimeRange(uncheckedStart: late, end: late.addingTimeInterval(2 * 3600))
        let again = TimeRange(uncheckedStart: late, end: late.addingTimeInterval(3600))
        #expect(RealtimeDelivery.localDays(of: [night, again], in: berlin)
                    == [LocalDate(year: 2026, month: 3, day: 23), LocalDate(year: 2026, month: 3, day: 24)])
        let endsAtMidnight = TimeRange(uncheckedStart: late, end: berlin.startOfDay(LocalDate(year: 2026, month: 3, day: 24)))
        #expect(RealtimeDelivery.localDays(of: [endsAtMidnight], in: berlin) == [LocalDate(year: 2026, month: 3, day: 23)])
        let quarter = TimeRange(uncheckedStart: late, end: late.addingTimeInterval(90 * 86_400))
        let days = RealtimeDelivery.localDays(of: [quarter], in: berlin)
        #expect(days.count == RealtimeDelivery.dayLimit)
        #expect(days.first == LocalDate(year: 2026, month: 3, day: 23))
    }
}

// MARK: - The world of these tests

/// A reader of live topics, named for the assertions.
struct Reader: RealtimeDelivery.Subscriber, Sendable {
    let name: String
    let viewer: Viewer
}

struct Counts: Equatable {
    let free: Int, partlyFree: Int, unavailable: Int
}

func counts(_ message: Received) -> Counts {
    Counts(free: message["room", "free"] as? Int ?? -1, partlyFree: message["room", "partly_free"] as? Int ?? -1,
           unavailable: message["room", "unavailable"] as? Int ?? -1)
}

/// One message as a reader got it, decoded from its frame.
struct Received {
    let json: [String: Any]
    var type: String? { json["type"] as? String }
    var topic: String? { json["topic"] as? String }

    subscript(_ keys: String...) -> Any? {
        keys.reduce(json as Any?) { ($0 as? [String: Any])?[$1] }
    }
}

/// What one batch produced.
struct DeliveryRun {
    let parcels: [RealtimeDelivery.Parcel<Reader>]

    /// A reader's messages in the order they would be written to its socket.
    func inbox(_ reader: Reader) -> [Received] {
        parcels.filter { $0.recipients.contains { $0.name == reader.name } }.map { parcel in
            var frame = parcel.message.frame()
            let data = frame.readData(length: frame.readableBytes) ?? Data()
            return Received(json: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
        }
    }
}

extension Array {
    var only: Element? { count == 1 ? first : nil }
}

struct Lookups: Equatable {
    var rooms = 0
    var names = 0
    var dates: [[LocalDate]] = []
}

/// The database as delivery reads it, from memory, counting the reads.
final class FakeRealtimeFacts: RealtimeFacts {
    private struct State {
        var lookups = Lookups()
        var names: [UUID: BookerDTO]
        var busy: [UUID: [TimeRange]] = [:]
    }

    private let contexts: [UUID: RoomContext]
    private let desks: [UUID: [DeskRecord]]
    private let state: NIOLockedValueBox<State>

    init(contexts: [RoomContext], desks: [DeskRecord], names: [UUID: BookerDTO]) {
        self.contexts = Dictionary(uniqueKeysWithValues: contexts.map { ($0.room.id, $0) })
        self.desks = Dictionary(grouping: desks, by: \.roomId)
        state = NIOLockedValueBox(State(names: names))
    }

    var lookups: Lookups { state.withLockedValue { $0.lookups } }

    func rename(_ userId: UUID, to name: BookerDTO) { state.withLockedValue { $0.names[userId] = name } }

    func setBusy(_ busy: [UUID: [TimeRange]]) { state.withLockedValue { $0.busy = busy } }

    func roomContext(_ roomId: UUID) async throws -> RoomContext? {
        state.withLockedValue { $0.lookups.rooms += 1 }
        return contexts[roomId]
    }

    func booker(_ userId: UUID) async throws -> BookerDTO? {
        state.withLockedValue { state in
            state.lookups.names += 1
            return state.names[userId]
        }
    }

    func roomDays(_ context: RoomContext, dates: [LocalDate]) async throws -> AvailabilityService.RoomDayFacts {
        let busy = state.withLockedValue { state in
            state.lookups.dates.append(dates)
            return state.busy
        }
        return AvailabilityService.RoomDayFacts(
            room: context.room, desks: desks[context.room.id] ?? [], busy: busy, policy: context.location.effectivePolicy,
            calendar: ZonedCalendar(timeZone: context.location.timeZone))
    }
}

/// Berlin with an open room of three desks (the third is pat's permanent desk) and a lab open to engineering only.
/// Ann and carl are colleagues, rita manages the open room, gus is an engineer, bob books.
struct World {
    let berlin: UUID, openSpace: UUID, lab: UUID, engineering: UUID
    let desks: [UUID]
    let labDesk: UUID
    let ann: Reader, carl: Reader, rita: Reader, gus: Reader, bob: Reader, pat: Reader
    let facts: FakeRealtimeFacts
    let delivery: RealtimeDelivery
    /// 2026-03-23 10:00 in Berlin.
    let now = Date(timeIntervalSince1970: 1_774_256_400)
    let calendar = ZonedCalendar(timeZone: TimeZone(identifier: "Europe/Berlin")!)

    init(visibility: BookerVisibility) {
        let berlin = UUID(), openSpace = UUID(), lab = UUID(), engineering = UUID(), floor = UUID()
        let desks = [UUID(), UUID(), UUID()], labDesk = UUID()
        (self.berlin, self.openSpace, self.lab, self.engineering, self.desks, self.labDesk) = (berlin, openSpace, lab, engineering, desks, labDesk)
        func reader(_ name: String, groups: Set<UUID> = [], rooms: Set<UUID> = [], locations: Set<UUID> = []) -> Reader {
            Reader(name: name, viewer: Viewer(userId: UUID(), isSuperuser: false, groupIds: groups, managedRoomIds: rooms,
                                              roomManagerLocationIds: locations))
        }
        let pat = reader("pat"), bob = reader("bob"), gus = reader("gus", groups: [engineering])
        (ann, carl, rita) = (reader("ann"), reader("carl"), reader("rita", rooms: [openSpace], locations: [berlin]))
        (self.pat, self.bob, self.gus) = (pat, bob, gus)
        let location = LocationRecord(id: berlin, countryId: UUID(), name: "Berlin", address: "", timezone: "Europe/Berlin", lat: nil, lng: nil,
                                      policy: #"{"booker_visibility":"\#(visibility.rawValue)"}"#, roomManagersAddMembers: false)
        func context(_ id: UUID, _ name: String, groups: Set<UUID>) -> RoomContext {
            RoomContext(room: RoomRecord(id: id, floorId: floor, locationId: berlin, name: name, description: "", maintenanceReason: nil),
                        location: location, gate: RoomGate(roomId: id, location: LocationGate(locationId: berlin, groupIds: []), groupIds: groups))
        }
        func desk(_ id: UUID, in room: UUID, _ name: String, assignee: UUID? = nil) -> DeskRecord {
            DeskRecord(id: id, roomId: room, locationId: berlin, name: name, x: 0, y: 0, orientation: "n", tags: "[]",
                       permanentUserId: assignee, isActive: true)
        }
        let facts = FakeRealtimeFacts(
            contexts: [context(openSpace, "Open space", groups: []), context(lab, "Lab", groups: [engineering])],
            desks: [desk(desks[0], in: openSpace, "1"), desk(desks[1], in: openSpace, "2"),
                    desk(desks[2], in: openSpace, "3", assignee: pat.viewer.userId), desk(labDesk, in: lab, "L1")],
            names: [bob.viewer.userId: BookerDTO(username: "bob", displayName: "Bob Booker"),
                    gus.viewer.userId: BookerDTO(username: "gus", displayName: "Gus")])
        self.facts = facts
        let now = Date(timeIntervalSince1970: 1_774_256_400)
        delivery = RealtimeDelivery(facts: facts, clock: WallClock { now }, logger: Logger(label: "test"))
    }

    /// Local hours of a day in March 2026.
    func range(day: Int, from: Int, to: Int) -> TimeRange {
        let date = LocalDate(year: 2026, month: 3, day: day)
        return TimeRange(uncheckedStart: calendar.instant(on: date, at: LocalTime(hour: from)), end: calendar.instant(on: date, at: LocalTime(hour: to)))
    }

    func booking(_ change: BookingEvent.Change, by userId: UUID, desk: UUID, room: UUID? = nil, day: Int, from: Int, to: Int) -> BookingEvent {
        let range = range(day: day, from: from, to: to)
        let record = BookingRecord(id: UUID(), deskId: desk, userId: userId, startAt: range.start, endAt: range.end,
                                   status: change == .created || change == .changed ? .confirmed : .cancelled, source: .web,
                                   createdBy: userId, createdAt: now, updatedAt: now, checkedInAt: nil, note: "Dentist")
        return BookingEvent(change, record, roomId: room ?? openSpace, locationId: berlin)
    }

    func deliver(_ batch: [DomainEvent], follows: [Topic: [Reader]], busy: [UUID: [TimeRange]] = [:]) async -> DeliveryRun {
        facts.setBusy(busy)
        var parcels: [RealtimeDelivery.Parcel<Reader>] = []
        await delivery.deliver(batch, followers: { follows[$0] ?? [] }, send: { parcels += $0 })
        return DeliveryRun(parcels: parcels)
    }
}
