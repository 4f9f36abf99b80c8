import Foundation
import PackagePlugin

/// Turns the web app's templates (`Resources/Views`) and files (`Public`) into Swift source compiled into the target,
/// so that the server needs nothing beside its binary. The command reruns whenever one of those files changes, and
/// the file list is read on every build, so added and removed files are picked up too.
@main
struct WebAssetsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let folders = ["Public", "Resources/Views"].map { root.appending(path: $0) }
        let inputs = folders.flatMap(Self.files(under:))
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedWebAssets.swift")
        return [
            .buildCommand(
                displayName: "Embedding the web app's templates and files",
                executable: try context.tool(named: "embed-web-assets").url,
                arguments: [output.path(percentEncoded: false), root.path(percentEncoded: false)] + ["Public", "Resources/Views"],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }

    private static func files(under folder: URL) -> [URL] {
        // Hidden files (an editor's swap file, `.DS_Store`) are not part of the web app.
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}
