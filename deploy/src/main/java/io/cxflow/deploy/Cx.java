package io.cxflow.deploy;

import io.cxflow.deploy.cli.ActivationsCommand;
import io.cxflow.deploy.cli.AnalyticsCommand;
import io.cxflow.deploy.cli.DemoCommand;
import io.cxflow.deploy.cli.ImportCommand;
import io.cxflow.deploy.cli.SegmentsCommand;
import io.cxflow.deploy.cli.SourcesCommand;
import io.cxflow.deploy.cli.TopicsCommand;
import io.cxflow.deploy.cli.UpCommand;
import io.cxflow.deploy.cli.WorkflowsCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cx} command line. */
@Command(
        name = "cx",
        mixinStandardHelpOptions = true,
        versionProvider = Cx.Version.class,
        description = "cxflow: a Kafka-native customer data pipeline. Collect, analyze, activate.",
        subcommands = {
            UpCommand.class,
            DemoCommand.class,
            TopicsCommand.class,
            SourcesCommand.class,
            ImportCommand.class,
            SegmentsCommand.class,
            AnalyticsCommand.class,
            WorkflowsCommand.class,
            ActivationsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Cx implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Cx.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cx());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("cx: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            LOG.debug("command failed", ex);
            return 1;
        });
        return cli;
    }

    /** Reads the version from the jar manifest, falling back to "development". */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cx.class.getPackage().getImplementationVersion();
            return new String[] {"cxflow " + (v == null ? "development build" : v)};
        }
    }
}
