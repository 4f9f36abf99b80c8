import DeskServer
import Foundation

exit(await DeskPilot.main(arguments: CommandLine.arguments))
