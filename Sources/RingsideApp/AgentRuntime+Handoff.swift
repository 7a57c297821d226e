import Foundation
import RingsideCore

/// Transfer contexts (issue 18): published when this agent transfers a call, received from the others.
extension AgentRuntime {
    /// Feeds other agents' contexts into the session (this agent's own echo is ignored).
    func listenForHandoffs(_ channel: any HandoffChannel, agentId: String) {
        let stream = channel.handoffs()
        addTask(Task { [weak self] in
            for await context in stream where context.fromAgentId != agentId {
                await self?.post(.handoffReceived(context))
            }
        })
    }

    /// Sends the context on the bus (best effort: a failure is shown, the transfer goes on).
    func publishHandoff(_ context: TransferContext) {
        guard let channel = handoffChannel else { return }
        var context = context
        context.fromAgentId = handoffAgentID
        let sending = context
        Task { [weak self] in
            do {
                try await channel.publishHandoff(sending)
            } catch {
                await self?.post(.notice(.warning, "Transfer context not sent: \(error)"))
            }
        }
    }
}
