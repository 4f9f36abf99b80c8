/// A fixed pattern of bookings over a room's desk-days, the same on every run so that runs compare.
struct Occupancy: Sendable {
    struct Booking: Sendable {
        /// Days after the first day of the window.
        let day: Int
        let desk: Int
        /// Index of the person holding it; nobody holds more than one booking a day.
        let person: Int
        let startMinute: Int
        let endMinute: Int
    }

    /// How a booked desk-day is used, as wall-clock minutes; all inside 07:00–20:00 and on the 30-minute grid.
    static let shapes: [[(start: Int, end: Int)]] = [
        [(8 * 60, 17 * 60)],
        [(9 * 60, 18 * 60)],
        [(8 * 60, 12 * 60 + 30)],
        [(8 * 60, 12 * 60), (13 * 60, 17 * 60 + 30)],  // two people share the desk
    ]

    let bookings: [Booking]
    let bookedDeskDays: Int
    /// People needed: one booking per person and day stays within the default policy
    /// (one desk at a time, 20 upcoming bookings) for windows up to 20 days.
    let people: Int

    /// Books half of the desks each day, a different half from day to day.
    init(desks: Int, days: Int) {
        var bookings: [Booking] = []
        var bookedDeskDays = 0
        var people = 0
        for day in 0..<days {
            var person = 0
            // 37 is coprime to 100: each day shifts which desks are taken.
            for desk in 0..<desks where (desk + day * 37) % desks < desks / 2 {
                bookedDeskDays += 1
                for part in Self.shapes[(desk * 7 + day * 3) % Self.shapes.count] {
                    bookings.append(Booking(day: day, desk: desk, person: person,
                                            startMinute: part.start, endMinute: part.end))
                    person += 1
                }
            }
            people = max(people, person)
        }
        self.bookings = bookings
        self.bookedDeskDays = bookedDeskDays
        self.people = people
    }
}
