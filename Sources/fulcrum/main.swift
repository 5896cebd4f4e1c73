import ArgumentParser
import FulcrumCommands

FulcrumCommand.main()
