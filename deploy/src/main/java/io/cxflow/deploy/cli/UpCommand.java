package io.cxflow.deploy.cli;

import io.cxflow.deploy.local.LocalStack;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cx up}: the whole pipeline on this machine until Ctrl-C. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start the embedded broker, the schema registry, the catalog topics, and the collector, analytics and"
                    + " activation services with the local default configuration. Ctrl-C stops everything.",
            "Data survives a restart in --data-dir."
        })
public final class UpCommand implements Callable<Integer> {

    @Mixin
    StackOptions stack;

    @Override
    public Integer call() throws Exception {
        LocalStack local = LocalStack.start(stack.toOptions(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("\ncx: stopping ...");
                            local.close();
                            stopped.countDown();
                        },
                        "cx-shutdown"));
        System.out.println(local.summary());
        System.out.println("cx: running; press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }
}
