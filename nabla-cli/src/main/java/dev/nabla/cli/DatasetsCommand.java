package dev.nabla.cli;

import picocli.CommandLine.Command;

/** {@code nabla datasets}: public data sets (for now: download). */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Public data sets ready for nabla train.",
        subcommands = DownloadCommand.class)
final class DatasetsCommand {
}
