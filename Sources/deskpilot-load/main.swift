import Foundation

let exitCode = await LoadCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(exitCode)
