package io.cxflow.deploy.cli;

import io.cxflow.deploy.Cx;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the {@code cx} command line with its exit code and what it printed, for tests. */
record CxRun(int exitCode, String out, String err) {

    static CxRun of(String... args) {
        CommandLine cli = Cx.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CxRun(code, out.toString(), err.toString());
    }
}
