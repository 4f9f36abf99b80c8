@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import Testing

/// A gate that work waits at until the test opens it.
private final class Gate: Sendable {
    private let state = NIOLockedValueBox((open: false, waiters: [CheckedContinuation<Void, Never>]()))

    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let open = state.withLockedValue { state in
                if !state.open { state.waiters.append(waiter) }
                return state.open
            }
            if open { waiter.resume() }
        }
    }

    func open() {
        let waiters = state.withLockedValue { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// What happened, in order, and a way to wait until something has.
private final class Journal: Sendable {
    private let state = NIOLockedValueBox((entries: [String](), waiters: [(String, CheckedContinuation<Void, Never>)]()))

    func record(_ entry: String) {
        let ready = state.withLockedValue { state in
            state.entries.append(entry)
            let ready = state.waiters.filter { $0.0 == entry }.map(\.1)
            state.waiters.removeAll { $0.0 == entry }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once `entry` has been recorded.
    func reached(_ entry: String) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state in
                if !state.entries.contains(entry) { state.waiters.append((entry, waiter)) }
                return state.entries.contains(entry)
            }
            if done { waiter.resume() }
        }
    }

    var entries: [String] { state.withLockedValue { $0.entries } }
}

/// Counts work running at once and remembers the most.
private final class Concurrency: Sendable {
    private let state = NIOLockedValueBox((now: 0, most: 0, perKey: [Int: Int](), mostPerKey: 0))

    func enter(_ key: Int) {
        state.withLockedValue { state in
            state.now += 1
            state.most = max(state.most, state.now)
            state.perKey[key, default: 0] += 1
            state.mostPerKey = max(state.mostPerKey, state.perKey[key]!)
        }
    }

    func leave(_ key: Int) {
        state.withLockedValue { state in
            state.now -= 1
            state.perKey[key]! -= 1
        }
    }

    var most: Int { state.withLockedValue { $0.most } }
    var mostPerKey: Int { state.withLockedValue { $0.mostPerKey } }
}

/// Lets other tasks (a wrongly started worker, say) run for a while; nothing waits on the clock.
private func letOthersRun() async {
    for _ in 0..<200 { await Task.yield() }
}

@Suite("Keyed serial queue", .timeLimit(.minutes(1)))
struct KeyedSerialQueueTests {
    private static func queue(limit: Int, errors: NIOLockedValueBox<[String]>? = nil) -> KeyedSerialQueue<Int> {
        KeyedSerialQueue(limit: limit) { key, error in errors?.withLockedValue { $0.append("\(key): \(error)") } }
    }

    @Test("one key's work runs in submission order, one item at a time, while other keys interleave")
    func orderPerKey() async {
        let queue = Self.queue(limit: 4)
        let done = NIOLockedValueBox([Int: [Int]]())
        let running = Concurrency()
        for index in 0..<300 {
            let key = index % 6
            queue.submit(key) {
                running.enter(key)
                await Task.yield()
                done.withLockedValue { $0[key, default: []].append(index) }
                running.leave(key)
            }
        }
        await queue.idle()
        let finished = done.withLockedValue { $0 }
        for key in 0..<6 {
            #expect(finished[key] == Array(stride(from: key, to: 300, by: 6)), "key \(key)")
        }
        #expect(running.mostPerKey == 1)
    }

    @Test("work for a running key waits for it, even with workers free")
    func runningKeyWaits() async {
        let queue = Self.queue(limit: 3)
        let gate = Gate()
        let journal = Journal()
        let running = Concurrency()
        queue.submit(1) {
            running.enter(1)
            journal.record("first")
            await gate.wait()
            journal.record("first done")
            running.leave(1)
        }
        await journal.reached("first")
        queue.submit(1) {
            running.enter(1)
            journal.record("second")
            running.leave(1)
        }
        queue.submit(2) { journal.record("other key") }
        await journal.reached("other key")
        await letOthersRun()
        #expect(!journal.entries.contains("second"))
        gate.open()
        await queue.idle()
        #expect(journal.entries.filter { $0 != "other key" } == ["first", "first done", "second"])
        #expect(running.mostPerKey == 1)
    }

    @Test("different keys run side by side up to the limit")
    func parallelUpToLimit() async {
        let queue = Self.queue(limit: 3)
        let journal = Journal()
        let gate = Gate()
        // Each of the three waits until all three have started: only a queue running three keys at once gets past.
        let started = NIOLockedValueBox(0)
        for key in 0..<3 {
            queue.submit(key) {
                if started.withLockedValue({ $0 += 1; return $0 }) == 3 { gate.open() }
                await gate.wait()
                journal.record("done \(key)")
            }
        }
        await queue.idle()
        #expect(Set(journal.entries) == ["done 0", "done 1", "done 2"])
    }

    @Test("a key beyond the limit waits until a running key finishes")
    func notBeyondLimit() async {
        let queue = Self.queue(limit: 2)
        let journal = Journal()
        let gates = (0..<3).map { _ in Gate() }
        for key in 0..<3 {
            queue.submit(key) {
                journal.record("start \(key)")
                await gates[key].wait()
                journal.record("end \(key)")
            }
        }
        await journal.reached("start 0")
        await journal.reached("start 1")
        await letOthersRun()
        #expect(!journal.entries.contains("start 2"))
        gates[1].open()
        await journal.reached("start 2")
        #expect(journal.entries.count == 4 && Array(journal.entries.suffix(2)) == ["end 1", "start 2"])
        gates[0].open()
        gates[2].open()
        await queue.idle()
    }

    @Test("many keys never run more at once than the limit")
    func boundUnderLoad() async {
        let queue = Self.queue(limit: 3)
        let running = Concurrency()
        for index in 0..<400 {
            let key = index % 10
            queue.submit(key) {
                running.enter(key)
                for _ in 0..<5 { await Task.yield() }
                running.leave(key)
            }
        }
        await queue.idle()
        #expect(running.most <= 3)
        #expect(running.mostPerKey == 1)
    }

    @Test("a key runs what it had queued when its turn came, then goes behind keys that waited")
    func turns() async {
        let queue = Self.queue(limit: 1)
        let (gate0, gate1) = (Gate(), Gate())
        let journal = Journal()
        queue.submit(0) {
            journal.record("0")
            await gate0.wait()
        }
        await journal.reached("0")
        queue.submit(1) {
            journal.record("1a")
            await gate1.wait()
        }
        queue.submit(1) { journal.record("1b") }
        queue.submit(2) { journal.record("2a") }
        gate0.open()
        await journal.reached("1a")
        // Queued during key 1's turn: after key 2, which was waiting.
        queue.submit(1) { journal.record("1c") }
        gate1.open()
        await queue.idle()
        #expect(journal.entries == ["0", "1a", "1b", "2a", "1c"])
    }

    @Test("idle waits without polling for queued, running and follow-up work, and returns at once when empty")
    func idleWaits() async {
        let queue = Self.queue(limit: 2)
        await queue.idle()  // empty: returns at once

        let gate = Gate()
        let journal = Journal()
        queue.submit(1) {
            await gate.wait()
            // Follow-up work submitted by running work counts too.
            queue.submit(2) {
                await Task.yield()
                journal.record("follow-up")
            }
        }
        let waiters = (0..<3).map { _ in
            Task {
                await queue.idle()
                journal.record("idle")
            }
        }
        await letOthersRun()
        #expect(journal.entries.isEmpty)
        gate.open()
        for waiter in waiters { await waiter.value }
        #expect(journal.entries == ["follow-up", "idle", "idle", "idle"])
    }

    @Test("run returns once its own work has run, and reports whether it did")
    func runWaits() async {
        let queue = Self.queue(limit: 1)
        let gate = Gate()
        let journal = Journal()
        queue.submit(1) { await gate.wait() }
        let runner = Task { await queue.run(1) { journal.record("ran") } }
        await letOthersRun()
        #expect(journal.entries.isEmpty)
        gate.open()
        #expect(await runner.value)
        #expect(journal.entries == ["ran"])
    }

    @Test("work equal to queued work of the same key is done once; the callers of both are told when it ran")
    func coalescing() async {
        let queue = Self.queue(limit: 1)
        let gate = Gate()
        let count = NIOLockedValueBox(0)
        let journal = Journal()
        queue.submit(1) {
            journal.record("holding")
            await gate.wait()
        }
        await journal.reached("holding")
        for _ in 0..<5 { queue.submit(1, coalescing: "plan") { count.withLockedValue { $0 += 1 } } }
        // The same token on another key is other work.
        queue.submit(2, coalescing: "plan") { count.withLockedValue { $0 += 10 } }
        let runners = (0..<2).map { _ in Task { await queue.run(1, coalescing: "plan") { count.withLockedValue { $0 += 100 } } } }
        while queue.waitingCallers < 2 { await Task.yield() }
        #expect(queue.queuedItems == [1: 1, 2: 1])
        gate.open()
        for runner in runners { #expect(await runner.value) }
        await queue.idle()
        #expect(count.withLockedValue { $0 } == 11)

        // Once started, equal work is queued again: the running item may have read too early.
        let gate2 = Gate()
        queue.submit(1, coalescing: "plan") {
            journal.record("first")
            await gate2.wait()
        }
        await journal.reached("first")
        queue.submit(1, coalescing: "plan") { journal.record("second") }
        gate2.open()
        await queue.idle()
        #expect(journal.entries == ["holding", "first", "second"])
    }

    @Test("an error is reported and the queue goes on, with the same key too")
    func errors() async {
        struct Failure: Error {}
        let errors = NIOLockedValueBox([String]())
        let queue = Self.queue(limit: 2, errors: errors)
        let journal = Journal()
        queue.submit(1) { throw Failure() }
        queue.submit(1) { journal.record("after") }
        queue.submit(2) { throw Failure() }
        await queue.idle()
        #expect(journal.entries == ["after"])
        #expect(errors.withLockedValue { $0 }.sorted() == ["1: Failure()", "2: Failure()"])
        #expect(queue.submit(3) { journal.record("still taking work") })
        await queue.idle()
        #expect(journal.entries.last == "still taking work")
    }

    @Test("stop lets running work finish, drops queued work, tells waiting callers, and takes no more")
    func stopDropping() async {
        let queue = Self.queue(limit: 1)
        let gate = Gate()
        let journal = Journal()
        queue.submit(1) {
            journal.record("running")
            await gate.wait()
            journal.record("finished")
            // Follow-ups are refused once stopping without finishing.
            queue.submit(1) { journal.record("follow-up") }
        }
        queue.submit(1) { journal.record("queued 1") }
        queue.submit(2) { journal.record("queued 2") }
        let caller = Task { await queue.run(3) { journal.record("queued 3") } }
        await journal.reached("running")
        await letOthersRun()
        let idle = Task { await queue.idle() }
        let stopped = Task {
            await queue.stop()
            journal.record("stopped")
        }
        #expect(await caller.value == false)
        await letOthersRun()
        #expect(!journal.entries.contains("stopped"))
        gate.open()
        await stopped.value
        await idle.value
        #expect(journal.entries == ["running", "finished", "stopped"])
        #expect(!queue.submit(1) { journal.record("late") })
        #expect(await queue.run(4) { journal.record("late") } == false)
        await queue.stop()  // again: returns
        await queue.idle()
        #expect(journal.entries == ["running", "finished", "stopped"])
    }

    @Test("stop finishing queued work runs it, with its keys' follow-ups, and refuses other keys")
    func stopFinishing() async {
        let queue = Self.queue(limit: 1)
        let gate = Gate()
        let journal = Journal()
        queue.submit(1) {
            journal.record("running")
            await gate.wait()
        }
        queue.submit(2) {
            journal.record("queued 2")
            queue.submit(2) { journal.record("follow-up 2") }
        }
        queue.submit(3) { journal.record("queued 3") }
        await journal.reached("running")
        let stopped = Task {
            await queue.stop(finishingQueued: { $0 != 3 })
            journal.record("stopped")
        }
        while !queue.isStopping { await Task.yield() }
        #expect(!queue.submit(4) { journal.record("new key") })
        gate.open()
        await stopped.value
        #expect(journal.entries == ["running", "queued 2", "follow-up 2", "stopped"])
    }
}
