import LeafKit
import NIOCore

/// Gives Leaf its templates from `WebAssets` rather than from the working directory.
struct TemplateSource: LeafSource {
    let assets: WebAssets

    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        guard let buffer = assets.template(template) else {
            return eventLoop.makeFailedFuture(LeafError(.noTemplateExists(template)))
        }
        return eventLoop.makeSucceededFuture(buffer)
    }
}
