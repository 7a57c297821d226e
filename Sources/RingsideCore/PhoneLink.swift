/// The phone system's identifier for one call leg (baresip call id, simulator id).
public typealias LineCallID = String

/// Connection state of the phone link, shown in the status bar.
public enum LinkState: Hashable, Sendable, Codable {
    case connecting
    case connected
    case disconnected(reason: String)
}

/// Why a call ended, as reported by the phone.
public enum CallEndReason: Hashable, Sendable, Codable {
    case localHangUp
    case remoteHangUp
    case busy
    case declined
    case noAnswer
    case transferred
    case failed(String)
}

/// Something the phone reported. Every event names the line call it is about.
public enum PhoneEvent: Hashable, Sendable {
    /// A new inbound call is ringing.
    case incoming(LineCallID, remote: String)
    /// An outbound call was placed (after `dial`) and has this id.
    case outgoing(LineCallID, remote: String)
    /// The far end is ringing (outbound).
    case remoteRinging(LineCallID)
    /// The call is connected (answered by either side).
    case established(LineCallID)
    case held(LineCallID)
    case resumed(LineCallID)
    /// A blind transfer completed; this leg is gone.
    case transferred(LineCallID, to: String)
    /// A transfer attempt failed; the call continues.
    case transferFailed(LineCallID, reason: String)
    case closed(LineCallID, reason: CallEndReason)
    case link(LinkState)
    /// Every call the phone has right now (after connecting): calls Ringside tracked that are not listed have
    /// ended while it was not looking.
    case listed([LineCallID])
}

/// Something Ringside asks the phone to do.
public enum PhoneCommand: Hashable, Sendable {
    case answer(LineCallID)
    case hold(LineCallID)
    case resume(LineCallID)
    case transfer(LineCallID, to: String)
    case hangUp(LineCallID)
    case dial(String)
}

/// Port: a phone the agent controls (simulated in-process, or baresip over ctrl_tcp).
public protocol PhoneLink: Sendable {
    /// The stream of phone events; one consumer.
    var events: AsyncStream<PhoneEvent> { get }
    /// Sends a command; throws a typed error when the phone refuses or is unreachable.
    func send(_ command: PhoneCommand) async throws
    /// Connects (and keeps reconnecting) until `close()`.
    func start() async
    func close() async
    /// True when calls outlive Ringside (a real phone): at quit a live call goes on and is picked up again at
    /// the next start; false for the simulated phone, whose calls end with the program.
    var callsOutliveRingside: Bool { get }
}

extension PhoneLink {
    public var callsOutliveRingside: Bool { false }
}
